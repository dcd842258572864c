// The local transport: messages are built as real MIME and stored in D1 instead of being sent,
// so `wrangler dev` and the tests can read them at /dev/mailbox without any provider.
import { insertOutbox, type OutboxInput } from "./outbox-store";
import { buildMime, formatMailbox } from "./mime";
import { MAX_BATCH_EMAILS, PermanentMailError, type MailTransport, type OutgoingEmail, type SentEmail } from "./types";

function toRow(email: OutgoingEmail, idempotencyKey: string | null, now: Date): OutboxInput {
  const { raw, messageId } = buildMime(email, { now });
  return {
    messageId,
    idempotencyKey,
    kind: email.kind,
    from: formatMailbox(email.from),
    to: email.to,
    subject: email.subject,
    html: email.html,
    text: email.text,
    raw,
    createdAt: now.toISOString(),
  };
}

/**
 * A MailTransport that writes to the outbox table. Provider ids are "outbox:<row id>".
 * @example await outboxTransport(env.DB).send(email);
 */
export function outboxTransport(db: D1Database, clock: () => Date = () => new Date()): MailTransport {
  return {
    name: "outbox",
    async send(email, options) {
      const [id] = await insertOutbox(db, [toRow(email, options?.idempotencyKey ?? null, clock())]);
      return { providerId: `outbox:${id}` };
    },
    async sendBatch(emails, options): Promise<SentEmail[]> {
      if (emails.length > MAX_BATCH_EMAILS) throw new PermanentMailError(`A batch holds at most ${MAX_BATCH_EMAILS} emails`);
      const now = clock();
      const ids = await insertOutbox(
        db,
        emails.map((e, i) => toRow(e, `${options.idempotencyKey}#${i}`, now)),
      );
      return ids.map((id) => ({ providerId: `outbox:${id}` }));
    },
  };
}
