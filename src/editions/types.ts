// What an edition is, once: its id and slot rules, its record (built or skipped), the built
// edition the web shows, its stored email rendering, and a build's outcome.
import * as z from "zod/mini";
import "../validation";
import type { Article, Digest, StoryMemory } from "../digest/types";

/** What an edition id may look like (ids are dates like 2026-11-23, then 2026-11-23-2, ...). */
export const EDITION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
/** An edition id in a route or a queue message. */
export const editionId = z.string().check(z.regex(EDITION_ID_PATTERN));

/** Slots name a schedule minute or an operator's label; nothing that needs escaping anywhere. */
export const SLOT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,63}$/;

/**
 * One row of the editions table as the admin API shows it: a built edition, or the record of
 * a slot that was skipped and why.
 */
export interface EditionRecord {
  id: string;
  slot: string;
  status: "built" | "skipped";
  skipReason: string | null;
  title: string;
  /** YYYY-MM-DD. */
  date: string;
  createdAt: string;
  storyCount: number;
}

/** What a slot holds, as a build reads it back. */
export type SlotRecord = Pick<EditionRecord, "id" | "slot" | "status" | "skipReason">;

/** A built edition as the web shows it: its digest and the articles it was built from. */
export interface Edition {
  id: string;
  slot: string;
  title: string;
  date: string;
  createdAt: string;
  digest: Digest;
  articles: Article[];
}

/** A built edition in a list (archive, feed, landing page): no articles. */
export type ListedEdition = Omit<Edition, "articles" | "slot">;

/** A built edition's stored email rendering: what delivery sends. */
export interface SendableEdition {
  id: string;
  /** Prefix of the edition's Idempotency-Keys; null for editions built before send ids existed. */
  sendId: string | null;
  /** Tells two editions with the same id apart (ids are only reused if rows are deleted). */
  createdAt: string;
  title: string;
  subject: string;
  html: string;
  text: string;
}

/** Everything stored for a new built edition. */
export interface NewEdition extends Omit<Edition, "id"> {
  subject: string;
  contentHash: string;
  storyIds: string[];
  html: string;
  text: string;
  /** Recorded on a forced build of a slot that had been skipped, so history keeps the reason. */
  skipReason?: string | null;
  /** Random per edition: the prefix of its provider Idempotency-Keys. */
  sendId: string;
  /** The time the edition was built as of (its slot's time on a replay). */
  asOf: string;
  /** What later builds must remember of its stories. */
  memory?: StoryMemory[];
}

/** What building a slot did. */
export type BuildResult =
  | { status: "built"; editionId: string; slot: string; created: boolean; stories?: number; forced: boolean }
  | { status: "skipped"; editionId: string; slot: string; created: boolean; reason: string };
