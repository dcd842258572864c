// Picks the mail transport for a purpose from the configuration. Transactional mail (confirmations)
// may use Cloudflare's send_email; bulk mail (digests) always uses the provider's HTTP API,
// because Email Service is for transactional mail only. MAIL_TRANSPORT=outbox overrides both.
import type { Config } from "../config";
import { cloudflareTransport } from "./cloudflare";
import { outboxTransport } from "./outbox";
import { resendTransport } from "./resend";
import type { MailPurpose, MailTransport } from "./types";

export type { MailPurpose };

/**
 * The transport for this kind of mail.
 * @example await mailTransport(env, config, "bulk").sendBatch(emails, { idempotencyKey });
 */
export function mailTransport(env: Env, config: Config, purpose: MailPurpose): MailTransport {
  if (config.mailTransport === "outbox") return outboxTransport(env.DB);
  if (config.mailTransport === "cloudflare" && purpose === "transactional") return cloudflareTransport(env.EMAIL);
  return resendTransport({ baseUrl: config.resend.baseUrl, apiKey: config.resend.apiKey });
}
