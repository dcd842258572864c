// Delivery settings that wrangler.toml must agree with (test/node/deployment-config.test.ts
// checks both sides), kept free of Worker types so Node-side checks can import them.

/**
 * From this queue attempt on, a message that would be retried is acked instead and its rows left
 * (retryable) to the sweep, which re-enqueues them an hour later: the queue's dead-letter
 * consumer fails recipients for good, which transient and configuration trouble must never do.
 * Keep it at or below max_retries in wrangler.toml (test/node/deployment-config.test.ts checks).
 */
export const HANDOFF_ATTEMPTS = 8;

/** The sweep's cron in wrangler.toml; every other cron builds an edition. */
export const SWEEP_CRON = "*/10 * * * *";
