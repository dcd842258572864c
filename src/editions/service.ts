// The editions service: what the cron, the admin API and the web routes ask of editions. Build
// a slot's edition and start sending it (one sequence, wherever it is asked for), report how a
// send is going, page through the archive, and render the current digest for /preview.
import type { Deps } from "../ports";
import { fromBase64Url, toBase64Url } from "../base64url";
import { resumeSend, startSend } from "../delivery/fanout";
import { heldBefore } from "../delivery/messages";
import { resendEdition, type ResendKind } from "../delivery/resend";
import { deliveryReport, getFanout, type FanoutState } from "../delivery/store";
import { BUILD_HASH } from "../generated/stamp";
import { editionMailEvents } from "../webhooks/store";
import { contentEtag } from "../http/cache";
import { personalise, renderEmail } from "../render/email";
import { errorText, log } from "../log";
import { ingestSources } from "../sources/ingest";
import { buildEdition, slotTime, type BuildOptions } from "./build";
import { utcDate } from "./current-digest";
import { getEdition, getEditionRecord, getSlot, listEditions } from "./store";
import type { BuildResult, Edition, EditionRecord, ListedEdition } from "./types";

export { slotOf } from "./build";

/** A send that was started (or found already started). */
export interface SendStart {
  created: boolean;
  state: FanoutState;
}

/** A send started or resumed by an operator: whether a pause was lifted, how many units were enqueued again. */
export interface SendResume extends SendStart {
  wasPaused: boolean;
  units: number;
}

/**
 * Starts delivering a built edition (idempotent: resumes a failed fan-out, changes nothing on
 * a running or finished one).
 * @example const { created, state } = await sendEdition(deps, "2026-11-23");
 */
export function sendEdition(deps: Deps, editionId: string): Promise<SendStart> {
  return startSend(deps.db, deps.queue, editionId, { batchSize: deps.config.deliveryBatchSize, now: deps.clock });
}

/**
 * Builds a slot's edition and, when asked and it is built, starts sending it. The cron and
 * `POST /admin/editions` both come here. With send, the fan-out is recorded with the edition
 * (one D1 transaction), so it cannot be stranded; on a repeat run the send is started again
 * (a no-op unless the first run died between build and send).
 * @example const { build, send } = await buildAndSend(deps, { slot: slotOf(now), now, send: true });
 */
export async function buildAndSend(
  deps: Deps,
  opts: Omit<BuildOptions, "send"> & { send: boolean },
): Promise<{ build: BuildResult; send: SendStart | null }> {
  const batchSize = deps.config.deliveryBatchSize;
  // A slot in the past is built as if run at its time (replays); ingest first, as of that time.
  const at = slotTime(opts.slot);
  const now = at && at.getTime() < opts.now.getTime() ? at : opts.now;
  if (opts.force || !(await getSlot(deps.db, opts.slot))) {
    // Ingest never stops the edition: a failure here leaves the items stored before.
    await ingestSources(deps, now).catch((e: unknown) => log.error("ingest_failed", { error: errorText(e) }));
  }
  const build = await buildEdition(deps, { ...opts, now, send: opts.send ? { batchSize } : undefined });
  if (!opts.send || build.status !== "built") return { build, send: null };
  const started = await sendEdition(deps, build.editionId);
  // The build itself started the fan-out when it created the edition.
  return { build, send: { created: build.created || started.created, state: started.state } };
}

type StoredEdition = { outcome: "missing" } | { outcome: "skipped"; record: EditionRecord } | { outcome: "built"; record: EditionRecord };

/** The edition an operator names: missing, a skipped slot (nothing to send), or built. */
async function storedEdition(deps: Deps, id: string): Promise<StoredEdition> {
  const record = await getEditionRecord(deps.db, id);
  if (!record) return { outcome: "missing" };
  return { outcome: record.status === "built" ? "built" : "skipped", record };
}

/**
 * Sends an edition the admin names, or resumes its sending (after a pause, a failed fan-out or
 * lost messages): missing, a skipped slot (nothing to send), or started.
 * @example const r = await sendStoredEdition(deps, id); if (r.outcome === "started") ...
 */
export async function sendStoredEdition(
  deps: Deps,
  id: string,
): Promise<{ outcome: "missing" } | { outcome: "skipped"; record: EditionRecord } | ({ outcome: "started" } & SendResume)> {
  const found = await storedEdition(deps, id);
  if (found.outcome !== "built") return found;
  const resumed = await resumeSend(deps.db, deps.queue, id, { batchSize: deps.config.deliveryBatchSize, now: deps.clock });
  return { outcome: "started", ...resumed };
}

/**
 * Resends, under new Idempotency-Keys, an edition's recipients whose failures were final, or
 * the rows held because their key outlived the provider's memory; "busy" while its fan-out is
 * still enqueueing.
 * @example const r = await resendStoredEdition(deps, id, "failed");
 */
export async function resendStoredEdition(
  deps: Deps,
  id: string,
  which: ResendKind,
): Promise<
  { outcome: "missing" } | { outcome: "skipped"; record: EditionRecord } | { outcome: "busy" } | { outcome: "resent"; units: number }
> {
  const found = await storedEdition(deps, id);
  if (found.outcome !== "built") return found;
  const result = await resendEdition(deps.db, deps.queue, id, which, deps.clock());
  return result ? { outcome: "resent", units: result.units } : { outcome: "busy" };
}

/**
 * An edition's record with its fan-out and delivery counts and failures, or null. `delivery` is
 * one word for the operator: paused (the provider refuses the account: fix, then send), held
 * (rows await resend-held), sending, done, or not started.
 * @example const status = await editionStatus(deps, "2026-11-23");
 */
export async function editionStatus(deps: Deps, id: string) {
  const edition = await getEditionRecord(deps.db, id);
  if (!edition) return null;
  const held = heldBefore(deps.clock().getTime());
  const [fanout, deliveries, reported] = await Promise.all([
    getFanout(deps.db, id),
    deliveryReport(deps.db, id, 50, held),
    editionMailEvents(deps.db, id),
  ]);
  const open = deliveries.counts.pending + deliveries.counts.sending + deliveries.counts.failed - deliveries.failedFinal;
  const delivery = !fanout
    ? "not started"
    : fanout.pausedAt
      ? "paused"
      : open > deliveries.held || fanout.status === "running"
        ? "sending"
        : deliveries.held > 0
          ? "held"
          : "done";
  const pause = fanout?.pausedAt ? { since: fanout.pausedAt, reason: fanout.pauseReason } : null;
  // What the provider reported after sending: permanent bounces and complaints (those readers
  // are suppressed from later sends), soft bounces and delays (recorded only).
  return { edition, delivery, pause, fanout, deliveries: { ...deliveries, reported } };
}

/** One built edition for the web, or null. */
export function findEdition(deps: Deps, id: string): Promise<Edition | null> {
  return getEdition(deps.db, id);
}

/** The newest built edition, for the landing page. */
export async function latestEdition(deps: Deps): Promise<ListedEdition | undefined> {
  return (await listEditions(deps.db, { limit: 1 }))[0];
}

/** The newest editions with their digests, for the Atom feed. */
export function recentEditions(deps: Deps, limit: number): Promise<ListedEdition[]> {
  return listEditions(deps.db, { limit });
}

export const ARCHIVE_PAGE_SIZE = 30;

/** The cursor for the next page: the last item's created_at and id, base64url'd JSON. */
function encodeCursor(e: { createdAt: string; id: string }): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify([e.createdAt, e.id])));
}

function decodeCursor(s: string): { createdAt: string; id: string } | null {
  const bytes = fromBase64Url(s);
  if (!bytes) return null;
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string") return { createdAt: v[0], id: v[1] };
  } catch {
    // fall through
  }
  return null;
}

/**
 * One page of the archive, newest first, and the cursor of the next (older) page; null when
 * `before` is not a cursor this site made.
 * @example const page = await archivePage(deps, c.req.query("before"));
 */
export async function archivePage(deps: Deps, before?: string): Promise<{ editions: ListedEdition[]; older?: string } | null> {
  const after = before === undefined ? undefined : decodeCursor(before);
  if (after === null) return null;
  const rows = await listEditions(deps.db, after ? { limit: ARCHIVE_PAGE_SIZE + 1, before: after } : { limit: ARCHIVE_PAGE_SIZE + 1 });
  const editions = rows.slice(0, ARCHIVE_PAGE_SIZE);
  const last = editions[editions.length - 1];
  return rows.length > ARCHIVE_PAGE_SIZE && last ? { editions, older: encodeCursor(last) } : { editions };
}

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
