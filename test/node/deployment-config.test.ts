// What wrangler.toml and .dev.vars.example must agree on with the code: the placeholders the
// production guard refuses, the consumer concurrency the pacer divides the rate by, the retry
// limit the consumer hands over to the sweep before, and the sweep's cron.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { PLACEHOLDER_SECRETS } from "../../src/deploy-guard";
import { HANDOFF_ATTEMPTS, SWEEP_CRON } from "../../src/delivery/settings";

const root = fileURLToPath(new URL("../..", import.meta.url));
const config = unstable_readConfig({ config: `${root}/wrangler.toml` });

describe("deployment configuration", () => {
  it("the guard knows every secret placeholder of .dev.vars.example", () => {
    const example = readFileSync(`${root}/.dev.vars.example`, "utf8");
    const secrets = [...example.matchAll(/^([A-Z_]+)=(.*)$/gm)]
      .filter(([, name]) => /SECRET|TOKEN|KEY/.test(name!))
      .map(([, , value]) => value!.trim());
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    for (const value of secrets) expect(PLACEHOLDER_SECRETS.has(value), value).toBe(true);
  });

  it("DELIVERY_MAX_CONCURRENCY is the deliveries consumer's max_concurrency, and the retry limit leaves room for the hand-over", () => {
    const consumer = config.queues.consumers?.find((c: { queue: string }) => c.queue === "newsletter-deliveries");
    expect(consumer?.max_concurrency).toBe(Number(config.vars.DELIVERY_MAX_CONCURRENCY));
    expect(consumer?.max_retries).toBeGreaterThanOrEqual(HANDOFF_ATTEMPTS);
    expect(Number(config.vars.PROVIDER_RATE)).toBe(2);
  });

  it("Workers Logs keep request URLs (confirm and unsubscribe tokens) out: invocation logs are off", () => {
    expect(config.observability?.logs?.invocation_logs).toBe(false);
    expect(config.observability?.logs?.enabled).toBe(true);
  });

  it("the sweep's cron is a trigger", () => {
    expect(config.triggers.crons).toContain(SWEEP_CRON);
    // The edition itself goes out from the same tick, when the schedule (D1 settings) says so.
    expect(config.triggers.crons).toEqual([SWEEP_CRON]);
  });
});
