// Subscription figures: the per-recipient cost of an unsubscribe link (HMAC sign with the cached
// key), verifying a link, validating an address, and building the MIME for a confirmation mail
// and for a ~90 KB digest (what the outbox and send_email transports do per message).
import { readConfirmToken, unsubscribeUrl, confirmToken, newNonce } from "../src/subscriptions/tokens";
import type { Config } from "../src/config";
import { buildMime } from "../src/mail/mime";
import { normalizeAddress } from "../src/subscriptions/address";
import { fmt, median, perCall } from "./stats";

const secret = "bench-signing-secret-0123456789abcdef";
const config = { baseUrl: "https://digest.example.com", signingSecret: secret, signingSecrets: [secret] } as Config;

async function perCallAsync(fn: (i: number) => Promise<unknown>, { samples = 40, batch = 200 } = {}): Promise<number> {
  for (let i = 0; i < batch; i++) await fn(i);
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t = performance.now();
    for (let i = 0; i < batch; i++) await fn(i);
    times.push((performance.now() - t) / batch);
  }
  return median(times);
}

export default async function (): Promise<void> {
  const unsub = await perCallAsync((i) => unsubscribeUrl(config, i + 1));
  console.log(`unsubscribeUrl per recipient (HMAC-SHA256, cached key): ${fmt(unsub)}  -> ${Math.round(1000 / unsub)} links/s`);

  const token = await confirmToken(config, { subscriberId: 42, nonce: newNonce(), expiresAt: new Date(Date.now() + 3_600_000) });
  const now = new Date();
  const verify = await perCallAsync(() => readConfirmToken(config, token, now));
  console.log(`confirmation token verify (crypto.subtle.verify): ${fmt(verify)}`);

  const addresses = ["Ann.Lee@Example.com", "a@Bücher.example", "bad@@example.com", `${"x".repeat(300)}@example.com`];
  const validate = perCall((i) => normalizeAddress(addresses[i % addresses.length]));
  console.log(`normalizeAddress (mix of valid, IDN, invalid, 300 chars): ${fmt(validate)}`);

  const from = { address: "digest@example.com", name: "The Daily Digest" };
  const confirmation = {
    from,
    to: "reader@example.org",
    subject: "Confirm your subscription to The Daily Digest",
    html: "<p>x</p>".repeat(600),
    text: "x ".repeat(400),
    kind: "confirmation" as const,
  };
  const mimeSmall = perCall(() => buildMime(confirmation), { batch: 50 });
  console.log(`buildMime, confirmation-sized (~5 KB HTML): ${fmt(mimeSmall)}`);
  const digest = {
    ...confirmation,
    kind: "digest" as const,
    html: "<p>Grüße aus Zürich, a story sentence.</p>\n".repeat(2200),
    text: "A story sentence.\n".repeat(800),
    headers: {
      "List-Unsubscribe": "<https://digest.example.com/unsubscribe?token=x>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
  const mimeBig = perCall(() => buildMime(digest), { batch: 10, samples: 20 });
  const size = buildMime(digest).raw.length;
  console.log(
    `buildMime, digest-sized (${Math.round(digest.html.length / 1024)} KB HTML -> ${Math.round(size / 1024)} KB MIME): ${fmt(mimeBig)}`,
  );
}
