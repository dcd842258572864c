// Pacing of provider calls. The provider allows about PROVIDER_RATE calls per second (Resend: 2)
// for the whole account, and at most `max_concurrency` consumer invocations run at once. Each
// invocation therefore starts its calls at least concurrency / rate seconds apart, and does not
// end before that interval after its last call has passed: however the invocations interleave,
// together they start at most `rate` calls in any second. The waits are wall time, not CPU.

export type Sleep = (ms: number) => Promise<void>;

/** A real wait (a timer; costs no CPU time). */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class Pacer {
  /** Earliest start of the next call, ms. */
  private next = 0;
  /** Total time this pacer has asked to wait, ms (for the log line and tests). */
  waited = 0;

  /**
   * @param intervalMs the gap between two calls of this invocation: concurrency / rate seconds.
   */
  constructor(
    readonly intervalMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {}

  /**
   * The pacer for a consumer invocation: its share of the account's rate.
   * @example const pacer = Pacer.forRate(2, 2); // one call a second per invocation
   */
  static forRate(ratePerSecond: number, concurrency: number, now?: () => number, sleep?: Sleep): Pacer {
    return new Pacer(Math.ceil((1000 * concurrency) / ratePerSecond), now, sleep);
  }

  /**
   * Waits for this call's turn; concurrent callers get successive turns.
   * @example await pacer.turn(); await transport.sendBatch(emails, { idempotencyKey });
   */
  async turn(): Promise<void> {
    const at = Math.max(this.now(), this.next);
    this.next = at + this.intervalMs;
    await this.waitUntil(at);
  }

  /**
   * Pushes the next turn back by `seconds` (a 429's Retry-After applies to every later call).
   * @example pacer.backOff(error.retryAfterSeconds ?? 1);
   */
  backOff(seconds: number): void {
    this.next = Math.max(this.next, this.now() + seconds * 1000);
  }

  /**
   * Holds the invocation until the interval after its last call has passed, so the next
   * invocation in this concurrency slot cannot start a call too soon.
   * @example await pacer.settle(); // before the queue handler returns
   */
  async settle(): Promise<void> {
    if (this.next > 0) await this.waitUntil(this.next);
  }

  private async waitUntil(at: number): Promise<void> {
    const ms = at - this.now();
    if (ms <= 0) return;
    this.waited += ms;
    await this.sleep(ms);
  }
}
