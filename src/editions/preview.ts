// GET /preview: the digest of what the sources hold now, exactly as the email renders it (with
// placeholder links), or its plain-text part (?format=text) or the Digest itself (?format=json).
// The rendering is cached per isolate, keyed by build, date and config, so a busy preview costs
// about what a bare route does; with feeds configured it is also refreshed every few minutes.
import { Hono } from "hono";
import type { AppEnv } from "../app";
import type { Config } from "../config";
import { BUILD_HASH } from "../generated/stamp";
import { currentDigest, utcDate } from "./current-digest";
import { personalise, renderEmail } from "../render/email";
import { contentEtag, problem, sendCached } from "../http/respond";

/** Email HTML has inline styles and a <style> block but never script; images only over https. */
export const EMAIL_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Where the preview's unsubscribe link points: nowhere, since nobody is subscribed to a preview. */
export const PREVIEW_UNSUBSCRIBE = "#unsubscribe-link-is-personal";

const FEED_REFRESH_MS = 5 * 60_000;

interface Rendered {
  html: string;
  text: string;
  json: string;
  etag: string;
}

let cache: { key: string; at: number; value: Promise<Rendered> } | undefined;

async function build(config: Config, now: Date): Promise<Rendered> {
  const { digest } = await currentDigest(config, now);
  const rendered = personalise(
    renderEmail(digest, { webUrl: `${config.baseUrl}/preview`, sender: { name: config.sender.name, postalAddress: config.sender.postalAddress } }),
    PREVIEW_UNSUBSCRIBE,
  );
  const json = JSON.stringify(digest);
  const etag = await contentEtag(rendered.html + "\0" + json, { prefix: `p-${BUILD_HASH}-`, bytes: 8 });
  return { html: rendered.html, text: rendered.text, json, etag };
}

/** The cached rendering for this build, date and config, building it on first use. */
function previewFor(config: Config, now: Date): Promise<Rendered> {
  const key = [BUILD_HASH, utcDate(now), config.title, config.baseUrl, config.sender.name, config.sender.postalAddress, ...config.feedUrls].join("|");
  const fresh = cache && cache.key === key && (config.feedUrls.length === 0 || now.getTime() - cache.at < FEED_REFRESH_MS);
  if (!fresh) {
    const entry = { key, at: now.getTime(), value: build(config, now) };
    cache = entry;
    // A failed build must not stick: the next request tries again.
    entry.value.catch(() => {
      if (cache === entry) cache = undefined;
    });
  }
  return cache!.value;
}

const FORMATS = {
  html: { type: "text/html; charset=utf-8", body: (r: Rendered) => r.html },
  text: { type: "text/plain; charset=utf-8", body: (r: Rendered) => r.text },
  json: { type: "application/json; charset=utf-8", body: (r: Rendered) => r.json },
} as const;

export const preview = new Hono<AppEnv>().get("/preview", async (c) => {
  const format = c.req.query("format") ?? "html";
  if (!Object.hasOwn(FORMATS, format)) return problem(c, 400, "Unknown format", "format must be html, text or json.");
  const f = FORMATS[format as keyof typeof FORMATS];
  const r = await previewFor(c.get("config"), new Date());
  return sendCached(c, f.body(r), f.type, {
    cacheControl: "no-cache",
    etag: r.etag.slice(0, -1) + `-${format}"`,
    headers: { Vary: "Accept-Encoding", "Content-Security-Policy": EMAIL_CSP },
  });
});
