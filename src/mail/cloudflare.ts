// Transactional mail through Cloudflare Email Service (the send_email binding). It takes a raw
// MIME message; Email Service is for transactional mail only, so digests never come here.
import { EmailMessage } from "cloudflare:email";
import { buildMime } from "./mime";
import { PermanentMailError, TransientMailError, type MailTransport, type OutgoingEmail, type SentEmail } from "./types";

// Errors the binding raises for mail that can never be delivered as addressed.
const permanent = /not (verified|allowed|permitted)|invalid|unknown (sender|recipient|domain)|malformed|too large/i;

/**
 * A MailTransport over a send_email binding.
 * @example await cloudflareTransport(env.EMAIL).send(confirmationEmail);
 */
export function cloudflareTransport(binding: SendEmail): MailTransport {
  async function sendOne(email: OutgoingEmail): Promise<SentEmail> {
    const { raw, messageId } = buildMime(email);
    try {
      const result = await binding.send(new EmailMessage(email.from.address, email.to, raw));
      return { providerId: result?.messageId || messageId };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (permanent.test(message)) throw new PermanentMailError(`send_email refused the message: ${message}`);
      throw new TransientMailError(`send_email failed: ${message}`);
    }
  }
  return {
    name: "cloudflare",
    send: (email) => sendOne(email),
    // The binding has no batch call; this sends one by one and is not all-or-nothing, which is
    // why bulk mail goes to the provider's API instead (see mailTransport).
    async sendBatch(emails) {
      const sent: SentEmail[] = [];
      for (const email of emails) sent.push(await sendOne(email));
      return sent;
    },
  };
}
