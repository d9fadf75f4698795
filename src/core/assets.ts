// Where the runtime files live: the tree-sitter runtime and grammars, query files, harnesses.
// One layout for every consumer: the build (esbuild.mjs) puts them under dist/, next to the
// bundles. Code running from source (unit tests through a TypeScript loader) finds the same
// dist/ two folders up, so `npm run build` must have run once.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

let cached: string | undefined;

export function distDir(): string {
  if (cached) return cached;
  const candidates = [__dirname, resolve(__dirname, '..', '..', 'dist'), resolve(__dirname, '..', '..', '..', 'dist')];
  const found = candidates.find((dir) => existsSync(join(dir, 'tree-sitter.wasm')));
  if (!found) {
    throw new Error(`effopt runtime files not found (looked for tree-sitter.wasm in ${candidates.join(', ')}); run \`npm run build\` first`);
  }
  cached = found;
  return found;
}

export const assetPath = (...parts: string[]): string => join(distDir(), ...parts);
