// A test send (issue 22, item 2): one stored edition, as subscribers get it (the stored
// rendering, the stored subject with a "[Test]" mark), to one address, through the configured
// bulk transport. No delivery row is written, so it never counts as a send and no webhook event
// for it counts in engagement. The unsubscribe link points nowhere (nobody subscribed to a test).
import type { Config } from "../config";
import { getSendableEdition } from "../editions/store";
import { personalise } from "../render/email";
import type { MailTransport, OutgoingEmail } from "../mail/types";

/** Where a test mail's unsubscribe link points: it is personal, and a test has no subscriber. */
export const TEST_UNSUBSCRIBE = "#unsubscribe-link-is-personal";
/** What marks a test mail's subject. */
export const TEST_MARK = "[Test]";

/**
 * Mails edition `id` to `to` (an address already checked); null when there is no built edition.
 * Throws the transport's errors (TransientMailError, PermanentMailError, AccountMailError).
 * @example await sendTestEdition({ db, config, transport: deps.mail("bulk") }, "2026-11-23", "editor@example.com");
 */
export async function sendTestEdition(
  deps: { db: D1Database; config: Config; transport: MailTransport },
  id: string,
  to: string,
): Promise<{ providerId: string; subject: string } | null> {
  const edition = await getSendableEdition(deps.db, id);
  if (!edition) return null;
  const rendered = personalise({ html: edition.html, text: edition.text }, TEST_UNSUBSCRIBE);
  const email: OutgoingEmail = {
    from: { address: deps.config.sender.address, name: deps.config.sender.name },
    to,
    subject: `${TEST_MARK} ${edition.subject}`,
    html: rendered.html,
    text: rendered.text,
    headers: { "Archived-At": `<${deps.config.baseUrl}/editions/${edition.id}>` },
    kind: "test",
  };
  const sent = await deps.transport.send(email);
  return { providerId: sent.providerId, subject: email.subject };
}
