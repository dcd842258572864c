// SQL for the local mail outbox (MAIL_TRANSPORT=outbox): stored messages and the /dev/mailbox reads.
export interface OutboxInput {
  messageId: string;
  idempotencyKey: string | null;
  kind: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  raw: string;
  createdAt: string;
}

export interface OutboxSummary {
  id: number;
  messageId: string;
  kind: string;
  from: string;
  to: string;
  subject: string;
  createdAt: string;
}

export interface OutboxMessage extends OutboxSummary {
  html: string;
  text: string;
  raw: string;
}

const summaryColumns = `id, message_id AS messageId, kind, from_address AS "from", to_address AS "to", subject, created_at AS createdAt`;

/**
 * Stores messages in one transaction and returns their row ids in input order. A message whose
 * idempotency key is already stored is not stored again; the first row's id comes back instead,
 * which gives the outbox the same repeat-safety as the provider's Idempotency-Key.
 * @example const [id] = await insertOutbox(env.DB, [{ messageId, idempotencyKey: null, kind: "confirmation", ... }]);
 */
export async function insertOutbox(db: D1Database, messages: OutboxInput[]): Promise<number[]> {
  if (messages.length === 0) return [];
  const statements = messages.map((m) =>
    db
      .prepare(
        `INSERT INTO outbox (message_id, idempotency_key, kind, from_address, to_address, subject, html, text, raw, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = excluded.idempotency_key
         RETURNING id`,
      )
      .bind(m.messageId, m.idempotencyKey, m.kind, m.from, m.to, m.subject, m.html, m.text, m.raw, m.createdAt),
  );
  // db.batch is one transaction: a batch is stored whole or not at all, like Resend's batch call.
  const results = await db.batch<{ id: number }>(statements);
  return results.map((r) => r.results[0]!.id);
}

/** The newest messages first, optionally only those sent to one address. */
export async function listOutbox(db: D1Database, options: { limit: number; to?: string }): Promise<OutboxSummary[]> {
  const stmt = options.to
    ? db.prepare(`SELECT ${summaryColumns} FROM outbox WHERE to_address = ? ORDER BY id DESC LIMIT ?`).bind(options.to, options.limit)
    : db.prepare(`SELECT ${summaryColumns} FROM outbox ORDER BY id DESC LIMIT ?`).bind(options.limit);
  const { results } = await stmt.all<OutboxSummary>();
  return results;
}

/** One stored message with its bodies and raw MIME, or null. */
export async function getOutboxMessage(db: D1Database, id: number): Promise<OutboxMessage | null> {
  return db.prepare(`SELECT ${summaryColumns}, html, text, raw FROM outbox WHERE id = ?`).bind(id).first<OutboxMessage>();
}

/**
 * Deletes the local copies of mail to an address (the subscription's erasure runs it in its transaction).
 * @example eraseAddress(db, email, hash, now, (email) => [eraseOutboxStatement(db, email)]);
 */
export function eraseOutboxStatement(db: D1Database, email: string): D1PreparedStatement {
  return db.prepare("DELETE FROM outbox WHERE to_address = ?1 COLLATE NOCASE").bind(email);
}
