// Builds the edition of one schedule slot: digest the sources, skip the slot when nothing is new,
// render once, store. Idempotent per slot: a doubled or concurrent run reads back the first
// run's record instead of building a second edition.
import { hexDigest } from "../hash";
import { toBase64Url } from "../base64url";
import type { Story } from "../digest/types";
import type { Deps } from "../ports";
import { log } from "../log";
import { headerText } from "../header-text";
import { renderEmail } from "../render/email";
import { shownHeadline } from "../render/format";
import { utcDate } from "./current-digest";
import { freeEditionId, getSlot, insertEdition, lastBuiltEdition, recordSkippedSlot, type AlongsideStatements } from "./store";
import type { BuildResult, NewEdition, SlotRecord } from "./types";
import type { DigestResult } from "../digest";
import type { Article, Digest } from "../digest/types";

/** A slot is the scheduled minute in UTC; two firings of one cron share it. */
export function slotOf(at: Date): string {
  return at.toISOString().slice(0, 16) + "Z";
}

/**
 * The time a slot names (YYYY-MM-DDTHH:MMZ), or null for an operator's label.
 * @example slotTime("2026-11-23T07:00Z")?.toISOString() // "2026-11-23T07:00:00.000Z"
 */
export function slotTime(slot: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})Z$/.exec(slot);
  if (!m) return null;
  const t = Date.parse(`${m[1]}:00Z`);
  return Number.isNaN(t) ? null : new Date(t);
}

export interface BuildOptions {
  slot: string;
  /** The build's time: the cron's scheduled time, or now for the admin API. */
  now: Date;
  /** Build even when nothing is new since the last edition (replaces a skipped record). */
  force?: boolean;
  /**
   * Another feature's statements recorded with the edition itself (one D1 transaction): the start
   * of its delivery (delivery/store.ts, fanoutWithEdition). The caller still enqueues the fan-out's
   * first step; if it dies first, the sweep finds the fan-out without progress and resumes it.
   */
  alongside?: AlongsideStatements;
}

/**
 * A fresh send id: 12 random bytes, base64url. It prefixes every Idempotency-Key of one edition.
 * @example newSendId() // "q3Vx0fK2b9Lm1sTa"
 */
export function newSendId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(12)));
}

/** What a build needs: the database, the config, where the digest comes from, the clock. */
export type BuildDeps = Pick<Deps, "db" | "config" | "digest" | "clock">;

/** SHA-256 of the sorted story ids: equal digests of the same stories hash alike. */
export async function contentHash(storyIds: string[]): Promise<string> {
  return hexDigest("SHA-256", [...storyIds].sort().join("\n"));
}

/** The date an edition of this slot carries: the slot's own date when it names one. */
function dateOf(slot: string, now: Date): string {
  const m = /^(\d{4}-\d{2}-\d{2})T/.exec(slot);
  return m && !Number.isNaN(Date.parse(`${m[1]}T00:00:00Z`)) ? m[1]! : utcDate(now);
}

/**
 * Builds (or finds) the edition for a slot and logs one line about it.
 * @example const r = await buildEdition(makeDeps(env), { slot: slotOf(new Date()), now: new Date() });
 */
export async function buildEdition(deps: BuildDeps, opts: BuildOptions): Promise<BuildResult> {
  const started = Date.now();
  const result = await build(deps, opts);
  const { status, editionId, slot, created } = result;
  const detail = result.status === "built" ? { stories: result.stories, forced: result.forced } : { reason: result.reason };
  log.info("edition_build", { status, editionId, slot, created, ...detail, force: Boolean(opts.force), ms: Date.now() - started });
  return result;
}

/** What a build of a slot would store, computed without storing anything. */
export interface EditionPlan {
  date: string;
  digest: Digest;
  articles: Article[];
  storyIds: string[];
  hash: string;
  /** Why the slot would be skipped (nothing new since the last edition), or null: it would be built. */
  skipReason: string | null;
  /** The digest source's whole answer (memory included). */
  built: DigestResult;
}

/**
 * What building `slot` at `now` would give: the digest from the stored items with memory, and
 * whether it would be skipped. The build and GET /admin/editions/next share it, so the answer
 * about the next edition is the build's own.
 * @example const plan = await planEdition(deps, { slot: slotOf(now), now }); plan.skipReason === null // would build
 */
export async function planEdition(
  { db, config, digest: source }: Omit<BuildDeps, "clock">,
  opts: { slot: string; now: Date; force?: boolean },
): Promise<EditionPlan> {
  const { slot, now } = opts;
  const force = Boolean(opts.force);
  const date = dateOf(slot, now);
  const built = await source(config, now, { db, slot, force });
  const digest = { ...built.digest, date };
  const { articles } = built;
  const storyIds = digest.stories.map((s) => s.id);
  // An update carries the id of the story it continues: its new sources make it new.
  const hash = await contentHash(digest.stories.map((s) => (s.update ? `${s.id}+${s.sources.map((x) => x.id).join(",")}` : s.id)));
  const skipReason = await nothingNew(db, slot, digest.stories, hash);
  return { date, digest, articles, storyIds, hash, skipReason, built };
}

async function build({ db, config, digest: source, clock }: BuildDeps, opts: BuildOptions): Promise<BuildResult> {
  const { slot, now } = opts;
  const force = Boolean(opts.force);
  const existing = await getSlot(db, slot);
  if (existing && (existing.status === "built" || !force)) return fromRecord(existing, false);

  const plan = await planEdition({ db, config, digest: source }, { slot, now, force });
  const { date, digest, articles, storyIds, hash, skipReason, built } = plan;

  // Even forced, an empty edition is not worth a send: record why instead.
  if (skipReason && (!force || storyIds.length === 0)) {
    const { record, created } = await recordSkippedSlot(db, {
      slot,
      title: digest.title,
      date,
      reason: skipReason,
      contentHash: hash,
      createdAt: clock().toISOString(),
    });
    return fromRecord(record, created);
  }

  const stored = await storeBuilt({ db, config }, opts, {
    slot,
    title: digest.title,
    // Feed titles reach the subject line: no control or format characters may come with them.
    subject: headerText(digest.stories[0] ? `${digest.title}: ${shownHeadline(digest.stories[0])}` : digest.title) || config.title,
    date,
    contentHash: hash,
    storyIds,
    digest,
    articles,
    html: "",
    text: "",
    createdAt: clock().toISOString(),
    sendId: newSendId(),
    asOf: now.toISOString(),
    memory: built.memory ?? [],
    skipReason:
      force && skipReason
        ? `forced; would have been skipped: ${skipReason}`
        : existing?.skipReason
          ? `forced; had been skipped: ${existing.skipReason}`
          : null,
  });
  return stored.record.status === "built"
    ? {
        status: "built",
        editionId: stored.record.id,
        slot,
        created: stored.created,
        stories: storyIds.length,
        forced: force && stored.created && skipReason !== null,
      }
    : fromRecord(stored.record, false);
}

/** Why a slot with these stories has nothing to send, or null: no stories, or none new since the last edition. */
async function nothingNew(db: D1Database, slot: string, stories: Story[], hash: string): Promise<string | null> {
  const previous = await lastBuiltEdition(db, slot);
  if (stories.length === 0) return previous ? `nothing new since edition ${previous.id}` : "the sources hold no stories";
  const seen = new Set(previous?.storyIds ?? []);
  if (previous && (previous.contentHash === hash || stories.every((s) => !s.update && seen.has(s.id)))) {
    return `nothing new since edition ${previous.id}`;
  }
  return null;
}

/**
 * Renders the edition under a free id for its date and stores it; a few tries, since another
 * slot of the same date may take the free id between our read and insert.
 */
async function storeBuilt(
  { db, config }: Pick<BuildDeps, "db" | "config">,
  opts: BuildOptions,
  edition: NewEdition,
): Promise<{ record: SlotRecord; created: boolean }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const id = await freeEditionId(db, edition.date);
    const editionUrl = `${config.baseUrl}/editions/${id}`;
    const rendered = renderEmail(edition.digest, {
      webUrl: editionUrl,
      editionUrl,
      sender: { name: config.sender.name, postalAddress: config.sender.postalAddress },
      reason: `You receive this because you subscribed to ${config.title} at ${config.baseUrl} and confirmed your address.`,
    });
    const stored = await insertEdition(db, id, { ...edition, html: rendered.html, text: rendered.text }, opts.alongside);
    if (stored) return stored;
  }
  throw new Error(`Could not find a free edition id for ${edition.date}`);
}

function fromRecord(r: SlotRecord, created: boolean): BuildResult {
  return r.status === "built"
    ? { status: "built", editionId: r.id, slot: r.slot, created, forced: false }
    : { status: "skipped", editionId: r.id, slot: r.slot, created, reason: r.skipReason ?? "skipped" };
}
