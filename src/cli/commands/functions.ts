// `effopt functions <file> [--json]`: the functions of a file with kinds, ranges and hotness.
// --json prints exactly the docs/CONTRACTS.md records; without it, a table for people.
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { extractFunctions, languageForPath, ParseInputError, isLanguageId, LANGUAGE_IDS, type FunctionInfo, type LanguageId } from '../../core/parse';
import { LANGUAGES } from '../../core/languages';
import { installCliBackend } from '../../core/parse/native';
import { BadInput } from '../errors';

/** The §6 record, in its order, without the fields beyond it. */
function toContractRecord(f: FunctionInfo): Record<string, unknown> {
  return {
    name: f.name,
    qualifiedName: f.qualifiedName,
    kind: f.kind,
    language: f.language,
    startLine: f.startLine,
    endLine: f.endLine,
    startOffset: f.startOffset,
    endOffset: f.endOffset,
    params: f.params,
    async: f.async,
    generator: f.generator,
    optimizable: f.optimizable,
    ...(f.reason !== undefined ? { reason: f.reason } : {}),
    hotness: f.hotness,
    hotnessReasons: f.hotnessReasons,
  };
}

const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Reads a source file as VS Code would see it (UTF-8, BOM removed), or throws BadInput. */
export function readSourceFile(file: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new BadInput(`${file} is a directory, not a source file`);
    size = st.size;
  } catch (err) {
    if (err instanceof BadInput) throw err;
    throw new BadInput(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (size > MAX_FILE_BYTES) throw new BadInput(`${file} is ${(size / 1048576).toFixed(0)} MiB; files over ${MAX_FILE_BYTES / 1048576} MiB are not analysed`);
  const bytes = readFileSync(file);
  if (bytes.includes(0)) throw new BadInput(`${file} looks binary (it contains NUL bytes), not source code`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BadInput(`${file} is not UTF-8 text`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function languageOf(file: string, override?: string): LanguageId {
  if (override !== undefined) {
    if (!isLanguageId(override)) throw new BadInput(`unknown language "${override}" (known: ${LANGUAGE_IDS.join(', ')})`);
    return override;
  }
  const language = languageForPath(file);
  if (!language) {
    const known = Object.values(LANGUAGES)
      .flatMap((d) => d.extensions)
      .join(' ');
    throw new BadInput(`cannot tell the language of ${file} from its extension (known: ${known}); pass --language`);
  }
  return language;
}

function table(functions: FunctionInfo[]): string {
  const rows = functions.map((f) => {
    const flags = [f.async ? 'async' : '', f.generator ? 'generator' : ''].filter(Boolean).join(' ');
    const notes = f.optimizable ? f.hotnessReasons.join('; ') : `not optimizable: ${f.reason}`;
    return [`${f.startLine}-${f.endLine}`, f.kind, `${f.qualifiedName}(${f.params.join(', ')})`, flags, f.hotness.toFixed(1), notes];
  });
  const header = ['LINES', 'KIND', 'FUNCTION', 'FLAGS', 'HOT', 'NOTES'];
  const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  const all = [header, ...rows].map((r) => [r[0], r[1], clip(r[2], 60), r[3], r[4], r[5]]);
  const widths = header.map((_, i) => (i === header.length - 1 ? 0 : Math.max(...all.map((r) => r[i].length))));
  return all
    .map((r) =>
      r
        .map((cell, i) => (i === 3 + 1 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function registerFunctions(program: Command): void {
  program
    .command('functions <file>')
    .description('list the functions of a file with their hotness')
    .option('--json', 'print JSON (the records of docs/CONTRACTS.md)')
    .option('--language <id>', `parse as this language (${LANGUAGE_IDS.join(', ')}) instead of by extension`)
    .action(async (file: string, opts: { json?: boolean; language?: string }) => {
      const source = readSourceFile(file);
      const language = languageOf(file, opts.language);
      installCliBackend();
      let result;
      try {
        result = await extractFunctions(source, language);
      } catch (err) {
        if (err instanceof ParseInputError) throw new BadInput(`${file}: ${err.message}`);
        throw err;
      }
      if (result.syntaxErrors.length > 0) {
        const first = result.syntaxErrors
          .slice(0, 5)
          .map((e) => `${e.line}:${e.column + 1} ${e.message}`)
          .join('; ');
        process.stderr.write(
          `effopt: warning: ${file} has syntax errors (functions listed as recovered): ${first}${result.syntaxErrors.length > 5 ? '; …' : ''}\n`,
        );
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(result.functions.map(toContractRecord), null, 2)}\n`);
        return;
      }
      const optimizable = result.functions.filter((f) => f.optimizable).length;
      const summary = `${result.functions.length} function${result.functions.length === 1 ? '' : 's'} (${optimizable} optimizable) in ${file} [${language}]`;
      process.stdout.write(result.functions.length > 0 ? `${table(result.functions)}\n\n${summary}\n` : `${summary}\n`);
    });
}
