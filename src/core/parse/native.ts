// Native backend selection for the CLI (and the cross-backend test and bench). The extension
// must never import this file: it loads a native addon.
import { LANGUAGE_IDS } from '../languages';
import type { ParseBackend } from './backend';
import { NativeBackend } from './nativeBackend';

let cached: { backend?: ParseBackend; error?: string } | undefined;

/** The native backend with every grammar loaded, or the reason it cannot load. Tried once. */
export function loadNativeBackend(): { backend?: ParseBackend; error?: string } {
  if (!cached) {
    try {
      cached = { backend: NativeBackend.load(LANGUAGE_IDS) };
    } catch (err) {
      cached = { error: (err as Error)?.message ?? String(err) };
    }
  }
  return cached;
}
