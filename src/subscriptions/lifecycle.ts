// The subscriber list as an operator handles it: erase an address, export everyone as CSV,
// import a CSV (with a dry run), purge stale pending rows, count and search. The admin API and
// the console call these; SQL stays in store.ts. CSV is read and written by d3-dsv (RFC 4180
// quoting, embedded commas and line breaks; a few KB where papaparse was 19), never by hand;
// formula escaping is ours (formulaSafe).
import { csvFormatRow, csvParseRows } from "d3-dsv";
import { QUEUE_SEND_MAX, type Deps } from "../ports";
import { log } from "../log";
import { addressHash, normalizeAddress } from "./address";
import {
  applyImport,
  exportPage,
  getSubscriber,
  type ImportChange,
  liftSuppression,
  purgePending,
  SUPPRESSED,
  type Subscriber,
  type SubscriberStatus,
  subscribersByEmail,
  suppressedHashes,
} from "./store";
import { sendConfirmation } from "./messages";
import { newNonce } from "./tokens";

export { countByStatus, searchSubscribers, SUBSCRIBER_STATUSES } from "./store";
export type { Subscriber, SubscriberStatus };

type LifecycleDeps = Pick<Deps, "db" | "clock" | "queue">;

/** Pending rows older than this are purged (a confirmation link lives 48 hours). */
export const PENDING_TTL_DAYS = 7;
/** Most rows one import may carry (one D1 transaction); split larger files. */
export const MAX_IMPORT_ROWS = 1_000;
/** The export's columns, in order; an export can be imported back as it is. */
export const EXPORT_COLUMNS = [
  "email",
  "status",
  "source",
  "created_at",
  "confirmed_at",
  "consent_at",
  "consent_page",
  "unsubscribed_at",
] as const;

export { addressHash };

// What a spreadsheet may run as a formula: a cell starting with = + - @ (or their full-width
// forms) after any whitespace, or with a tab or a line break. Checked on the whole cell whatever
// it holds (a pattern anchored on one line, like papaparse's /^[=+\-@\t\r].*$/, fails on a cell
// that contains "\n").
const FORMULA = /^(?:[\s\u200b\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r\n])/;

/**
 * A cell a spreadsheet will show as text: one that could start a formula gets a leading quote.
 * @example formulaSafe('=HYPERLINK("http://x")\nmore') // `'=HYPERLINK("http://x")\nmore`
 */
export function formulaSafe(value: string): string {
  return FORMULA.test(value) ? `'${value}` : value;
}

/**
 * Lifts a bounce or a complaint on an address: an operator's explicit decision, logged. The
 * reader is then unsubscribed (not mailed) and may opt in again through a confirmation mail.
 * Null when the input is not an address.
 * @example await liftAddress(deps, "ann@example.com") // { lifted: "bounced", entry: false }
 */
export async function liftAddress(
  deps: Pick<Deps, "db" | "clock">,
  input: string,
): Promise<{ lifted: "bounced" | "complained" | null; entry: boolean } | null> {
  const checked = normalizeAddress(input);
  if (!checked.ok) return null;
  const r = await liftSuppression(deps.db, checked.email, await addressHash(checked.email), deps.clock());
  log.warn("suppression_lifted", { lifted: r.lifted ?? "none", entry: r.entry });
  return r;
}

/**
 * One subscriber by id, for the operator (the console's history page), or null.
 * @example const s = await findSubscriber(deps, 7);
 */
export function findSubscriber(deps: Pick<Deps, "db">, id: number): Promise<Subscriber | null> {
  return getSubscriber(deps.db, id);
}

/**
 * Deletes pending rows that were never confirmed within PENDING_TTL_DAYS (the sweep cron runs it).
 * @example await purgeStalePending(deps.db, new Date());
 */
export async function purgeStalePending(db: D1Database, now: Date): Promise<{ deleted: number; restored: number }> {
  const r = await purgePending(db, new Date(now.getTime() - PENDING_TTL_DAYS * 86_400_000), now);
  if (r.deleted + r.restored > 0) log.info("pending_purged", r);
  return r;
}

/**
 * Every subscriber as CSV (header row first), with status, dates and the consent record.
 * Cells that a spreadsheet would run as a formula are escaped with a leading quote (formulaSafe).
 * @example return c.body(await exportCsv(deps), 200, { "content-type": "text/csv; charset=utf-8" });
 */
export async function exportCsv(deps: Pick<Deps, "db">): Promise<string> {
  const rows: string[][] = [];
  for (let after = 0; ; ) {
    const page = await exportPage(deps.db, after, 5_000);
    for (const s of page) {
      rows.push(
        [s.email, s.status, s.source, s.createdAt, s.confirmedAt ?? "", s.consentAt ?? "", s.consentPage ?? "", s.unsubscribedAt ?? ""].map(
          formulaSafe,
        ),
      );
    }
    if (page.length < 5_000) break;
    after = page[page.length - 1]!.id;
  }
  return [EXPORT_COLUMNS, ...rows].map((r) => `${csvFormatRow([...r])}\r\n`).join("");
}

/**
 * What an import does with one row. No import activates an existing row: a pending one waits for
 * its reader's own confirmation, a suppressed one stays suppressed.
 */
export type ImportAction = "add-active" | "add-pending" | "unchanged" | "suppressed";

export interface ImportReport {
  dryRun: boolean;
  /** How many rows get each action. */
  counts: Record<ImportAction, number>;
  /** Each row's address as a CSV cell would show it (formulaSafe), and what happens to it. */
  rows: Array<{ line: number; email: string; action: ImportAction }>;
}

export type ImportResult = { ok: true; report: ImportReport } | { ok: false; errors: Array<{ line: number; message: string }> };

const YES = new Set(["1", "yes", "y", "true"]);
const NO = new Set(["", "0", "no", "n", "false"]);

interface ParsedRow {
  line: number;
  email: string;
  consent: boolean;
  consentAt: string | null;
  consentPage: string | null;
  fileStatus: string;
}

/** A cell as written: our export escapes formula-like cells with a leading quote (formulaSafe). */
const cell = (v: string | undefined) => {
  const raw = v ?? "";
  const t = raw.trim();
  if (t.startsWith("'") && FORMULA.test(t.slice(1))) return t.slice(1).trim();
  return t;
};

/** Reads and checks every row; any bad row makes the whole file an error list, by line. */
function parseImport(text: string, now: Date): { rows: ParsedRow[] } | { errors: Array<{ line: number; message: string }> } {
  const errors: Array<{ line: number; message: string }> = [];
  // Each record's first line: one line per record, and one more per line break inside its quoted cells.
  let line = 1;
  const records = csvParseRows(text.replace(/^\uFEFF/, "")).map((cells) => {
    const first = line;
    line += 1;
    for (const c of cells) for (let k = c.indexOf("\n"); k >= 0; k = c.indexOf("\n", k + 1)) line++;
    return { line: first, cells };
  });
  const [header, ...body] = records;
  const names = (header?.cells ?? []).map((h) => h.trim().toLowerCase());
  const col = (name: string) => names.indexOf(name);
  if (col("email") < 0) return { errors: [{ line: 1, message: 'The first line must name the columns, one of them "email".' }] };
  const data = body.filter((r) => !(r.cells.length === 1 && r.cells[0]!.trim() === ""));
  if (data.length > MAX_IMPORT_ROWS)
    return { errors: [{ line: 1, message: `At most ${MAX_IMPORT_ROWS} rows per import; split the file.` }] };
  const hasConsent = col("consent") >= 0;
  const seen = new Map<string, number>();
  const rows: ParsedRow[] = [];
  for (const r of data) {
    const get = (name: string) => (col(name) >= 0 ? cell(r.cells[col(name)]) : "");
    if (r.cells.length !== names.length) {
      errors.push({ line: r.line, message: `Expected ${names.length} columns, found ${r.cells.length}.` });
      continue;
    }
    const checked = normalizeAddress(get("email"));
    if (!checked.ok) {
      errors.push({ line: r.line, message: `email: ${checked.message}` });
      continue;
    }
    const key = checked.email.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      errors.push({ line: r.line, message: `email: the same address as line ${earlier}.` });
      continue;
    }
    seen.set(key, r.line);
    const consentCell = get("consent").toLowerCase();
    if (hasConsent && !YES.has(consentCell) && !NO.has(consentCell)) {
      errors.push({ line: r.line, message: 'consent: use "yes" or "no" (or 1/0, true/false, or leave it empty).' });
      continue;
    }
    const consentAtCell = get("consent_at");
    const consentAt = consentAtCell ? new Date(consentAtCell) : null;
    if (consentAt && (Number.isNaN(consentAt.getTime()) || consentAt.getTime() > now.getTime())) {
      errors.push({ line: r.line, message: "consent_at: a date and time in the past, like 2026-11-23T07:00:00Z." });
      continue;
    }
    const consent = hasConsent ? YES.has(consentCell) : consentAt !== null;
    rows.push({
      line: r.line,
      email: checked.email,
      consent,
      consentAt: consentAt?.toISOString() ?? null,
      consentPage: get("consent_page").slice(0, 300) || null,
      fileStatus: get("status").toLowerCase(),
    });
  }
  return errors.length > 0 ? { errors } : { rows };
}

/**
 * Imports subscribers from CSV (columns: email, and optionally consent, consent_at,
 * consent_page, status; an export reads back as it is). Nothing is written when any row is bad
 * (the errors name their lines) or on a dry run (the report says what would change).
 * Suppression is a property of the address: one that is unsubscribed, bounced or complained (by
 * its row or its suppression entry) or was erased is never subscribed again, whatever state its
 * row is in now; a file row whose status says unsubscribed, bounced or complained suppresses the
 * address too (its row follows, and a hash of it is kept). An existing row is never activated
 * (a pending one waits for its reader's confirmation). A new address comes in pending with a
 * confirmation mail, or active with source 'import' when the file records consent. All changes
 * are one transaction.
 * @example const r = await importCsv(deps, await c.req.text(), { dryRun: true });
 */
export async function importCsv(deps: LifecycleDeps, text: string, opts: { dryRun: boolean }): Promise<ImportResult> {
  const now = deps.clock();
  const parsed = parseImport(text, now);
  if ("errors" in parsed) return { ok: false, errors: parsed.errors };
  const emails = parsed.rows.map((r) => r.email);
  const [existing, hashes] = await Promise.all([subscribersByEmail(deps.db, emails), Promise.all(emails.map(addressHash))]);
  const suppressions = await suppressedHashes(deps.db, hashes);
  const counts: Record<ImportAction, number> = { "add-active": 0, "add-pending": 0, unchanged: 0, suppressed: 0 };
  const rows: ImportReport["rows"] = [];
  const changes: ImportChange[] = [];
  parsed.rows.forEach((r, i) => {
    const current = existing.get(r.email.toLowerCase());
    const fileSuppresses = SUPPRESSED.includes(r.fileStatus as SubscriberStatus);
    let action: ImportAction;
    if (fileSuppresses || suppressions.has(hashes[i]!) || (current && SUPPRESSED.includes(current.status))) action = "suppressed";
    else if (current) action = "unchanged";
    else action = r.consent ? "add-active" : "add-pending";
    counts[action]++;
    rows.push({ line: r.line, email: formulaSafe(r.email), action });
    const consentAt = r.consentAt ?? now.toISOString();
    if (action === "add-active") changes.push({ kind: "add-active", email: r.email, consentAt, consentPage: r.consentPage });
    else if (action === "add-pending") changes.push({ kind: "add-pending", email: r.email, nonce: newNonce() });
    else if (fileSuppresses) {
      const status = r.fileStatus as "unsubscribed" | "bounced" | "complained";
      changes.push({ kind: "suppress", email: r.email, emailHash: hashes[i]!, status });
    }
  });
  if (!opts.dryRun) {
    const pending = await applyImport(deps.db, changes, now);
    const messages = pending.map((p) => ({ body: sendConfirmation(p.id, p.nonce) }));
    for (let i = 0; i < messages.length; i += QUEUE_SEND_MAX) await deps.queue.sendBatch(messages.slice(i, i + QUEUE_SEND_MAX));
    log.info("subscribers_imported", counts);
  }
  return { ok: true, report: { dryRun: opts.dryRun, counts, rows } };
}
