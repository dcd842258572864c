// Response policies in one place: how long each kind of answer may be cached, and which
// Content-Security-Policy each kind of HTML gets.
import { siteCssSha256 } from "../generated/templates";

export const CACHE = {
  /** Built editions are immutable; a day in caches, then revalidated by ETag (the page shell may change on deploy). */
  edition: "public, max-age=86400",
  /** Lists (archive, feed) grow when an edition is built. */
  list: "public, max-age=300",
  /** The landing page shows the latest edition. */
  landing: "public, max-age=60",
  /** The favicon answer (an empty 204). */
  favicon: "public, max-age=86400",
  /** The preview changes with the sources: always revalidate (cheap, by ETag). */
  preview: "no-cache",
  /** Pages whose links carry tokens, and the dev mailbox: never stored. */
  private: "no-store",
} as const;

/**
 * Content-Security-Policy for pages rendered with the site Layout: no script at all, the one
 * inline stylesheet by its hash, forms only to this origin, no framing.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${siteCssSha256}'`,
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Email HTML shown as a page (/preview): inline styles and a <style> block, never script; images over https. */
export const EMAIL_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

/** A stored email in the dev mailbox, shown as a mail client would: no scripts, its inline styles, any image. */
export const MAILBOX_EMAIL_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";
