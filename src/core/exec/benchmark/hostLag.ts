// How late effopt's own event loop ran: the sandbox's clock marks are read when their message is
// handled, so a stalled loop (a busy extension host, effopt's own parsing or restarts) makes a slot
// look longer than it was. The integrity checks that compare effopt's clock with the harness's
// subtract this, so a busy host never reads as a forged clock or as work after return; a program in
// the sandbox cannot stall effopt's loop (it runs in another process, its output is capped).
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export class HostLag {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });

  start(): void {
    this.histogram.enable();
  }

  stop(): void {
    this.histogram.disable();
  }

  /** The longest stall (seconds) since the last call; starts a new span. */
  take(): number {
    const max = this.histogram.max / 1e9;
    this.histogram.reset();
    return Number.isFinite(max) && max > 0 ? max : 0;
  }
}
