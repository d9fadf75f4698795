// Native backend selection for the CLI (and the cross-backend test and bench). The extension
// must never import this file: it loads a native addon.
import { LANGUAGE_IDS } from '../languages';
import type { BackendKind, ParseBackend } from './backend';
import { setDefaultBackend } from './index';
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

/**
 * Makes the CLI parse with the native binding when it loads (faster on whole repositories),
 * else with WASM. EFFOPT_PARSER=wasm|native forces one (native then fails loudly if absent).
 * Returns the backend in use and, when native was wanted but did not load, why.
 */
export function installCliBackend(env: NodeJS.ProcessEnv = process.env): { kind: BackendKind; fallbackReason?: string } {
  const wanted = env.EFFOPT_PARSER?.toLowerCase();
  if (wanted === 'wasm') return { kind: 'wasm' };
  const native = loadNativeBackend();
  if (native.backend) {
    setDefaultBackend(native.backend);
    return { kind: 'native' };
  }
  if (wanted === 'native') throw new Error(`EFFOPT_PARSER=native but ${native.error}`);
  return { kind: 'wasm', fallbackReason: native.error };
}
