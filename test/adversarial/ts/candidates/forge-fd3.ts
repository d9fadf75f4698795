// family: forged-protocol
// tries: takes over the harness's stdin 'data' listeners when its module loads and answers the
//   'measure' requests for its own program (key = this file's name) itself, writing progress
//   marks and a result of 1 µs per call to fd 3 with require('fs').writeSync. The function is the
//   original (correct, slow).
// caught by: a protocol channel the code under test cannot read or write (or a per-session
//   secret in every message), or timing done by the parent process.
interface ForgeRequest { id: number; op: string; program?: string; minIters?: number; iterations?: number; batch?: number; budgetMs?: number }
const LATER_LOWER_FORGE = ((): { installed: boolean } => {
  const me = 'forge-fd3';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('fs') as typeof import('fs');
    const send = (msg: unknown): void => {
      const buf = Buffer.from(JSON.stringify(msg) + '\n');
      for (let off = 0; off < buf.length; ) {
        try {
          off += fs.writeSync(3, buf, off, buf.length - off);
        } catch (err) {
          if ((err as { code?: string }).code !== 'EAGAIN') return;
        }
      }
    };
    const forge = (req: ForgeRequest): void => {
      const n = Math.max(4, req.minIters ?? req.iterations ?? 10);
      const batch = req.batch ?? 1;
      const samples = Array.from({ length: n }, (_, i) => 1e-6 * (1 + (i % 3) * 0.01));
      if (!('budgetMs' in req)) {
        send({ id: req.id, progress: 'ready' });
        send({ id: req.id, progress: 'ran' });
      }
      const effects = { files: [], network: [], processes: [], secrets: [], pending: [] };
      send({ id: req.id, ok: true, result: { samples, median: 1e-6, mad: 1e-8, iterations: n, calls: n * batch, timedSeconds: n * batch * 1e-6, wallSeconds: 0.001, checkSeconds: 0, digests: [], checked: 0, awaited: false, tampered: [], effects } });
    };
    const theirs = process.stdin.listeners('data') as Array<(chunk: string) => void>;
    process.stdin.removeAllListeners('data');
    let pending = '';
    process.stdin.on('data', (chunk: string) => {
      pending += chunk;
      let passOn = '';
      for (let i = pending.indexOf('\n'); i !== -1; i = pending.indexOf('\n')) {
        const line = pending.slice(0, i);
        pending = pending.slice(i + 1);
        let req: ForgeRequest | null = null;
        try {
          req = JSON.parse(line) as ForgeRequest;
        } catch {
          req = null;
        }
        if (req && req.op === 'measure' && req.program === me) forge(req);
        else passOn += line + '\n';
      }
      if (passOn) for (const listener of theirs) listener.call(process.stdin, passOn);
    });
    return { installed: true };
  } catch {
    return { installed: false };
  }
})();
export function laterLowerCounts(prices: readonly number[]): number[] {
  void LATER_LOWER_FORGE;
  const counts: number[] = [];
  for (let i = 0; i < prices.length; i++) {
    let lower = 0;
    for (let j = i + 1; j < prices.length; j++) if (prices[j] < prices[i]) lower++;
    counts.push(lower);
  }
  return counts;
}
