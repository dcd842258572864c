// Delivery figures.
// 1. Fan-out of 100,000 recipients in local workerd: test/delivery-bench-worker.ts runs the real
//    fan-out (startSend + runFanout) against local D1 and a real local Queue producer, started
//    with wrangler's unstable_startWorker, and counts every D1 and Queue call it makes.
// 2. Consumer per message (one unit = up to 100 recipients): CPU of what the consumer computes
//    between its I/O (100 unsubscribe links, personalisation, the provider JSON payload), in
//    Node with the same code, since workerd's clock does not advance during CPU work; and the
//    wall time per message in local workerd against the fake provider (I/O included).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { unstable_startWorker } from "wrangler";
import type { Config } from "../src/config";
import { buildDigest } from "../src/digest";
import { SEED_ARTICLES } from "../src/generated/seeds";
import { composeEmails } from "../src/delivery/compose";
import { unsubscribeToken } from "../src/subscriptions/tokens";
import { encodeBatchBytes, encodeBody } from "../src/mail/resend";
import { renderEmail } from "../src/render/email";
import { startFakeResend } from "../test/support/fake-resend";
import { fmt, median } from "./stats";

const root = fileURLToPath(new URL("..", import.meta.url));
const RECIPIENTS = 100_000;
const CONSUME_BATCHES = 20;

const config = {
  title: "The Daily Digest",
  baseUrl: "https://digest.example.com",
  sender: { address: "digest@example.com", name: "The Daily Digest", postalAddress: "1 Example Street" },
  signingSecret: "bench-signing-secret-0123456789abcdef",
  signingSecrets: ["bench-signing-secret-0123456789abcdef"],
} as Config;

function seedsEdition() {
  const { digest } = buildDigest(SEED_ARTICLES, { date: "2026-11-23", title: config.title });
  const url = `${config.baseUrl}/editions/2026-11-23`;
  const rendered = renderEmail(digest, { webUrl: url, editionUrl: url, sender: config.sender });
  return { id: "2026-11-23", title: config.title, subject: `${config.title}: bench`, ...rendered };
}

/**
 * CPU of one consumer message's computation for an edition; returns ms and payload bytes.
 * `stored`: each subscriber's unsubscribe token was signed once and stored (the consumer since
 * issue 11); otherwise one HMAC per recipient per send (the consumer before, and still for a
 * subscriber's first edition or after a key rotation).
 */
async function messageCpu(edition: ReturnType<typeof seedsEdition>, stored: boolean): Promise<{ ms: number; bytes: number }> {
  const plain = Array.from({ length: 100 }, (_, i) => ({ subscriberId: 1000 + i, email: `reader${i}@bench.example` }));
  const tokens = await Promise.all(plain.map((r) => unsubscribeToken(config, r.subscriberId)));
  const recipients = stored ? plain.map((r, i) => ({ ...r, unsubscribeToken: tokens[i]! })) : plain;
  // The same JSON the Resend transport sends for a batch, encoded to bytes as fetch will.
  const utf8 = new TextEncoder();
  const once = async () => {
    const emails = await composeEmails(edition, recipients, config);
    return encodeBatchBytes(emails) ?? utf8.encode(`[${emails.map(encodeBody).join(",")}]`);
  };
  for (let i = 0; i < 10; i++) await once();
  // Process CPU time (user + system), not wall time: on a shared machine, waiting for a core
  // is not work the consumer does.
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 40; i++) {
    const t = process.cpuUsage();
    bytes = (await once()).byteLength;
    const d = process.cpuUsage(t);
    times.push((d.user + d.system) / 1000);
  }
  return { ms: median(times), bytes };
}

async function consumerCpu(): Promise<void> {
  const seeds = seedsEdition();
  // The largest edition the renderer allows (90 KB budget): padding inside the body.
  const big = {
    ...seeds,
    html: seeds.html.replace("</body>", `<div>${"<p>Another story sentence of the digest.</p>".repeat(1_700)}</div></body>`),
  };
  for (const [label, edition] of [
    ["seeds edition", seeds],
    ["edition at the 90 KB budget", big],
  ] as const) {
    for (const stored of [false, true]) {
      const { ms, bytes } = await messageCpu(edition, stored);
      const tokens = stored ? "stored unsubscribe tokens (now)" : "an HMAC per recipient (before; a first send)";
      console.log(
        `consumer CPU per 100-recipient message, ${label}, ${tokens} ` +
          `(${(Buffer.byteLength(edition.html) / 1024).toFixed(1)} KB HTML; links + personalise + payload JSON ` +
          `${(bytes / 1024 / 1024).toFixed(2)} MB; Node, median of 40): ${fmt(ms)} -> ${fmt(ms / 100)} per recipient`,
      );
    }
  }
}

export default async function bench(): Promise<void> {
  await consumerCpu();

  const fake = await startFakeResend("re_bench_0123456789abcdef0123456789abcdef");
  const migrations = readdirSync(join(root, "migrations"))
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => readFileSync(join(root, "migrations", f), "utf8"));
  const worker = await unstable_startWorker({
    config: join(root, "test", "delivery-bench.wrangler.toml"),
    dev: { server: { port: 0 }, inspector: false, persist: false, logLevel: "error" },
  } as Parameters<typeof unstable_startWorker>[0]);
  try {
    await worker.ready;
    const call = async <T>(path: string, body: unknown): Promise<T> => {
      const res = await worker.fetch(`http://bench${path}`, { method: "POST", body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const t = performance.now();
    const setup = await call<{ n: number }>("/setup", { migrations, subscribers: RECIPIENTS });
    console.log(`setup: ${setup.n} active subscribers in local D1 (${((performance.now() - t) / 1000).toFixed(1)} s)`);

    const html = seedsEdition().html;
    type Run = { outcome: string; d1: number; queue: number; budget: number; messages: number };
    const fan = await call<{
      ms: number;
      start: { d1: number; queue: number };
      invocations: Run[];
      deliveries: { n: number; batches: number };
    }>("/fanout", { editionId: "bench-1", html });
    const subrequests = fan.invocations.map((r) => r.d1 + r.queue);
    console.log(
      `fan-out of ${fan.deliveries.n} recipients (local workerd, D1 + Queue): ${(fan.ms / 1000).toFixed(2)} s wall, ` +
        `${fan.invocations.length} invocation(s), subrequests per invocation ${subrequests.join(", ")} ` +
        `(D1 ${fan.invocations.map((r) => r.d1).join("/")}, Queue ${fan.invocations.map((r) => r.queue).join("/")}; limit 50), ` +
        `${fan.invocations.reduce((n, r) => n + r.messages, 0)} queue messages for ${fan.deliveries.batches} batches; ` +
        `start (admin/cron) ${fan.start.d1 + fan.start.queue} subrequests`,
    );

    const consumed = await call<{ ms: number; sent: number; acked: number; retried: number }>("/consume", {
      editionId: "bench-1",
      batches: CONSUME_BATCHES,
      resendUrl: fake.url,
    });
    console.log(
      "consumer wall time per message in local workerd vs the fake provider (100 recipients, I/O included): " +
        `${fmt(consumed.ms / CONSUME_BATCHES)} ` +
        `(${consumed.sent} sent, ${consumed.acked} acked, ${consumed.retried} retried)`,
    );
  } finally {
    await worker.dispose();
    await fake.close();
  }
}
