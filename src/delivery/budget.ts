// Counts the subrequests (D1 calls, queue calls, provider calls) one invocation may still make.
// Workers' free plan allows 50 per invocation; the fan-out stops short of the limit and continues
// in a fresh invocation through a queue message instead of failing halfway.

/** Kept a little under the free plan's 50 for the runtime's own calls (logs, waitUntil). */
export const SUBREQUESTS_PER_INVOCATION = 45;

export class SubrequestBudget {
  used = 0;
  constructor(readonly limit = SUBREQUESTS_PER_INVOCATION) {}

  get remaining(): number {
    return this.limit - this.used;
  }

  /**
   * Records `n` subrequests about to be made.
   * @example budget.take(1); await env.DB.prepare("...").run();
   */
  take(n = 1): void {
    this.used += n;
  }
}
