// Native `tree-sitter` backend (CLI only; the extension never imports this file). The binding
// and the grammar packages' native builds are optional dependencies loaded with a plain runtime
// require, so a machine without them (or with an ABI mismatch) falls back to WASM.
import { descriptorOf } from '../languages';
import type { LanguageId } from '../languages/types';
import {
  cancellationCheck,
  ParseCancelled,
  type CompiledQuery,
  type ParseBackend,
  type ParseOptions,
  type SyntaxNode,
  type SyntaxTree,
  type TreeEdit,
} from './backend';

/** The parts of the native binding's API used here (its own typings are not a dependency). */
interface NativeParser {
  setLanguage(language: unknown): void;
  parse(input: string, oldTree?: NativeTree | null, options?: { bufferSize?: number; progressCallback?: (index: number) => boolean }): NativeTree | null;
  reset(): void;
}
interface NativeTree {
  rootNode: SyntaxNode;
  edit(edit: TreeEdit): void;
}
interface NativeQuery {
  predicates: unknown[];
  matches(node: SyntaxNode): { pattern: number; captures: { name: string; node: SyntaxNode }[]; setProperties?: Record<string, string | null> }[];
}
interface NativeModule {
  new (): NativeParser;
  Query: new (language: unknown, source: string) => NativeQuery;
}

class NativeSyntaxTree implements SyntaxTree {
  constructor(readonly tree: NativeTree) {}
  get rootNode(): SyntaxNode {
    return this.tree.rootNode;
  }
  edit(edit: TreeEdit): void {
    this.tree.edit(edit);
  }
  delete(): void {
    // Native trees are freed by the garbage collector.
  }
}

// A runtime require that bundlers leave alone (the packages are external and optional).
const runtimeRequire: NodeJS.Require = require;

export class NativeBackend implements ParseBackend {
  readonly kind = 'native' as const;
  private readonly binding: NativeModule;
  private readonly languages = new Map<LanguageId, unknown>();
  private readonly parsers = new Map<LanguageId, NativeParser>();

  private constructor(binding: NativeModule) {
    this.binding = binding;
  }

  /** Loads the native binding and every grammar's native build, or throws why it cannot. */
  static load(languages: readonly LanguageId[]): NativeBackend {
    let binding: NativeModule;
    try {
      binding = runtimeRequire('tree-sitter') as NativeModule;
    } catch (err) {
      throw new Error(`native tree-sitter binding did not load: ${(err as Error)?.message ?? err}`);
    }
    const backend = new NativeBackend(binding);
    for (const language of languages) backend.loadLanguageSync(language);
    return backend;
  }

  private loadLanguageSync(language: LanguageId): unknown {
    const cached = this.languages.get(language);
    if (cached) return cached;
    const { pkg, exportName } = descriptorOf(language).native;
    let lang: unknown;
    try {
      const mod = runtimeRequire(pkg) as Record<string, unknown>;
      lang = exportName ? mod[exportName] : mod;
      if (!lang) throw new Error(`export "${exportName}" missing`);
      // Setting it on a parser checks the grammar's ABI against the binding's.
      const parser = new this.binding();
      parser.setLanguage(lang);
      this.parsers.set(language, parser);
    } catch (err) {
      throw new Error(`native grammar ${pkg}${exportName ? `.${exportName}` : ''} did not load: ${(err as Error)?.message ?? err}`);
    }
    this.languages.set(language, lang);
    return lang;
  }

  async loadLanguage(language: LanguageId): Promise<void> {
    this.loadLanguageSync(language);
  }

  parse(language: LanguageId, text: string, options?: ParseOptions): SyntaxTree {
    this.loadLanguageSync(language);
    const parser = this.parsers.get(language)!;
    const stop = cancellationCheck(options);
    if (stop?.()) throw new ParseCancelled();
    const old = options?.oldTree instanceof NativeSyntaxTree ? options.oldTree.tree : null;
    // The binding reads the string in chunks of bufferSize; one chunk for the whole text is fastest.
    const bufferSize = Math.max(16 * 1024, text.length + 1);
    const tree = parser.parse(text, old, stop ? { bufferSize, progressCallback: () => stop() } : { bufferSize });
    if (!tree) {
      parser.reset();
      throw new ParseCancelled();
    }
    return new NativeSyntaxTree(tree);
  }

  compileQuery(language: LanguageId, source: string): CompiledQuery {
    const query = new this.binding.Query(this.loadLanguageSync(language), source);
    return {
      patternCount: query.predicates.length,
      matches: (node) => query.matches(node),
      delete: () => undefined,
    };
  }

  dispose(): void {
    this.parsers.clear();
  }
}
