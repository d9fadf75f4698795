// One process-wide lock for CPU work: verification runs take it shared (several may run at once),
// a benchmark takes it exclusive, so nothing else effopt does competes with a timing run.
// Writer-preferring: once a benchmark waits, new shared holders queue behind it.

type Waiter = { exclusive: boolean; grant: () => void };

export class CpuLock {
  private sharedHolders = 0;
  private exclusiveHeld = false;
  private readonly queue: Waiter[] = [];

  get state(): { shared: number; exclusive: boolean; waiting: number } {
    return { shared: this.sharedHolders, exclusive: this.exclusiveHeld, waiting: this.queue.length };
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const next = this.queue[0];
      if (next.exclusive) {
        if (this.exclusiveHeld || this.sharedHolders > 0) return;
        this.queue.shift();
        this.exclusiveHeld = true;
        next.grant();
        return;
      }
      if (this.exclusiveHeld) return;
      this.queue.shift();
      this.sharedHolders++;
      next.grant();
    }
  }

  private acquire(exclusive: boolean, signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        if (exclusive) this.exclusiveHeld = false;
        else this.sharedHolders--;
        this.pump();
      };
      const waiter: Waiter = {
        exclusive,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = (): void => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) {
          this.queue.splice(i, 1);
          this.pump();
          reject(signal?.reason instanceof Error ? signal.reason : new Error('cancelled while waiting for the CPU lock'));
        }
      };
      if (signal?.aborted) {
        reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** Runs fn while holding the lock shared (verification, test generation in the sandbox). */
  async shared<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(false, signal);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Runs fn alone (benchmarks): waits for every shared holder to finish first. */
  async exclusive<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(true, signal);
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

/** The lock every effopt component shares (one per effopt process). */
export const cpuLock = new CpuLock();
