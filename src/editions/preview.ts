// The current digest rendered for /preview: what the sources hold now, as the email, its text
// part and its JSON, with one ETag, cached per isolate.
import { BUILD_HASH } from "../generated/stamp";
import { contentEtag } from "../http/cache";
import type { Deps } from "../ports";
import { personalise, renderEmail } from "../render/email";
import { utcDate } from "./current-digest";

/** Where the preview's unsubscribe link points: nowhere, since nobody is subscribed to a preview. */
export const PREVIEW_UNSUBSCRIBE = "#unsubscribe-link-is-personal";

const FEED_REFRESH_MS = 5 * 60_000;

/** The current digest rendered as the email, its text part and its JSON, with one ETag. */
export interface Preview {
  html: string;
  text: string;
  json: string;
  etag: string;
}

// The rendering is cached per isolate, keyed by build, date and config, so a busy preview costs
// about what a bare route does; with feeds configured it is also refreshed every few minutes.
let cache: { key: string; at: number; value: Promise<Preview> } | undefined;

async function renderPreview(deps: Deps, now: Date): Promise<Preview> {
  const { config } = deps;
  const { digest } = await deps.digest(config, now, { db: deps.db, preview: true });
  const rendered = personalise(
    renderEmail(digest, {
      webUrl: `${config.baseUrl}/preview`,
      sender: { name: config.sender.name, postalAddress: config.sender.postalAddress },
    }),
    PREVIEW_UNSUBSCRIBE,
  );
  const json = JSON.stringify(digest);
  const etag = await contentEtag(`${rendered.html}\0${json}`, { prefix: `p-${BUILD_HASH}-`, bytes: 8 });
  return { html: rendered.html, text: rendered.text, json, etag };
}

/**
 * The digest of what the sources hold now, rendered; cached for this build, date and config.
 * @example const { html, etag } = await currentPreview(deps);
 */
export function currentPreview(deps: Deps): Promise<Preview> {
  const { config } = deps;
  const now = deps.clock();
  const key = [
    BUILD_HASH,
    utcDate(now),
    config.title,
    config.baseUrl,
    config.sender.name,
    config.sender.postalAddress,
    ...config.feedUrls,
  ].join("|");
  const fresh = cache && cache.key === key && (config.feedUrls.length === 0 || now.getTime() - cache.at < FEED_REFRESH_MS);
  if (!fresh || !cache) {
    const entry = { key, at: now.getTime(), value: renderPreview(deps, now) };
    cache = entry;
    // A failed build must not stick: the next request tries again.
    entry.value.catch(() => {
      if (cache === entry) cache = undefined;
    });
    return entry.value;
  }
  return cache.value;
}
