// The subscription confirmation email, from templates/confirm.mjml compiled at build time.
import { confirmHtml } from "../generated/templates";
import type { RenderedEmail } from "./email";
import { fillTemplate } from "./template";

export interface ConfirmEmailInput {
  title: string;
  email: string;
  confirmUrl: string;
  expiresInHours: number;
  senderIdentity: string;
}

/**
 * Renders the double opt-in email with its signed confirmation link.
 * @example renderConfirmEmail({ title: "Digest", email: "a@b.c", confirmUrl, expiresInHours: 48, senderIdentity: "..." })
 */
export function renderConfirmEmail(input: ConfirmEmailInput): RenderedEmail {
  // Same escaping as the digest: the address and title are user-supplied.
  const html = fillTemplate(confirmHtml, input);
  const text = [
    `Confirm your subscription to ${input.title}`,
    "",
    `Someone, hopefully you, asked to receive ${input.title} at ${input.email}.`,
    "Confirm to start receiving it:",
    "",
    input.confirmUrl,
    "",
    `This link expires in ${input.expiresInHours} hours. If you did not ask for this, ignore this email.`,
    "",
    input.senderIdentity,
  ].join("\n");
  return { html, text };
}
