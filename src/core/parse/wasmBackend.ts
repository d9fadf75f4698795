// web-tree-sitter (WASM) backend: used by the extension, and by the CLI when the native binding
// does not load. The runtime and grammar .wasm files come from dist/ (assetPath).
import { Language, Parser, Query, type Tree } from 'web-tree-sitter';
import { assetPath } from '../assets';
import { descriptorOf } from '../languages';
import type { LanguageId } from '../languages/types';
import {
  cancellationCheck,
  ParseCancelled,
  type CompiledQuery,
  type ParseBackend,
  type ParseOptions,
  type QueryMatchLike,
  type SyntaxNode,
  type SyntaxTree,
} from './backend';

let runtimeReady: Promise<void> | undefined;

function initRuntime(): Promise<void> {
  runtimeReady ??= Parser.init({ locateFile: () => assetPath('tree-sitter.wasm') }).catch((err: unknown) => {
    runtimeReady = undefined;
    throw new Error(`web-tree-sitter runtime did not load from ${assetPath('tree-sitter.wasm')}: ${(err as Error)?.message ?? err}`);
  });
  return runtimeReady;
}

class WasmTree implements SyntaxTree {
  constructor(readonly tree: Tree) {}
  get rootNode(): SyntaxNode {
    return this.tree.rootNode as unknown as SyntaxNode;
  }
  edit(edit: Parameters<Tree['edit']>[0]): void {
    this.tree.edit(edit);
  }
  delete(): void {
    this.tree.delete();
  }
}

export class WasmBackend implements ParseBackend {
  readonly kind = 'wasm' as const;
  private readonly languages = new Map<LanguageId, Promise<Language>>();
  private readonly loaded = new Map<LanguageId, Language>();
  private readonly parsers = new Map<LanguageId, Parser>();

  loadLanguage(language: LanguageId): Promise<void> {
    let pending = this.languages.get(language);
    if (!pending) {
      const file = assetPath('grammars', descriptorOf(language).wasmFile);
      pending = initRuntime()
        .then(() => Language.load(file))
        .then((lang) => {
          this.loaded.set(language, lang);
          return lang;
        })
        .catch((err: unknown) => {
          this.languages.delete(language);
          throw new Error(`grammar for ${language} did not load from ${file}: ${(err as Error)?.message ?? err}`);
        });
      this.languages.set(language, pending);
    }
    return pending.then(() => undefined);
  }

  private language(language: LanguageId): Language {
    const lang = this.loaded.get(language);
    if (!lang) throw new Error(`grammar for ${language} is not loaded yet (call loadLanguage first)`);
    return lang;
  }

  parse(language: LanguageId, text: string, options?: ParseOptions): SyntaxTree {
    let parser = this.parsers.get(language);
    if (!parser) {
      parser = new Parser();
      parser.setLanguage(this.language(language));
      this.parsers.set(language, parser);
    }
    const stop = cancellationCheck(options);
    if (stop?.()) throw new ParseCancelled();
    const old = options?.oldTree instanceof WasmTree ? options.oldTree.tree : null;
    // web-tree-sitter's typings say void, but returning true from the callback stops the parse.
    const progressCallback = stop ? ((() => stop()) as unknown as () => void) : undefined;
    const tree = parser.parse(text, old, progressCallback ? { progressCallback } : undefined);
    if (!tree) {
      parser.reset();
      throw new ParseCancelled();
    }
    return new WasmTree(tree);
  }

  compileQuery(language: LanguageId, source: string): CompiledQuery {
    const query = new Query(this.language(language), source);
    return {
      patternCount: query.patternCount(),
      // web-tree-sitter's matches already have this shape ({ pattern, captures: [{ name, node }] });
      // they are handed over as they are rather than copied (thousands per file).
      matches: (node): QueryMatchLike[] => query.matches(node as never) as unknown as QueryMatchLike[],
      delete: () => query.delete(),
    };
  }

  dispose(): void {
    for (const parser of this.parsers.values()) parser.delete();
    this.parsers.clear();
  }
}
