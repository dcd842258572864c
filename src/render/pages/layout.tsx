// The site's page shell (hono/jsx, server-rendered, no client script). Every page uses it, and
// its stylesheet is inlined from templates/site.css, allowed by hash in PAGE_CSP.
import type { Child } from "hono/jsx";
import { siteCss, siteCssSha256 } from "../../generated/templates";

export interface LayoutProps {
  title: string;
  siteTitle: string;
  /** One sentence for <meta name="description">. */
  description?: string;
  children?: Child;
}

/**
 * Content-Security-Policy for pages rendered with Layout: no script at all, the one inline
 * stylesheet by its hash, forms only to this origin, no framing.
 * @example c.header("Content-Security-Policy", PAGE_CSP)
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${siteCssSha256}'`,
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The page shell.
 * @example c.html(<Layout title="Archive" siteTitle={config.title}>...</Layout>)
 */
export function Layout({ title, siteTitle, description, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title === siteTitle ? title : `${title} · ${siteTitle}`}</title>
        {description ? <meta name="description" content={description} /> : null}
        <link rel="alternate" type="application/atom+xml" title={siteTitle} href="/feed.xml" />
        {/* Raw on purpose: the stylesheet is our own build output, and escaping would change its hash. */}
        <style dangerouslySetInnerHTML={{ __html: siteCss }} />
      </head>
      <body>
        <header>
          <a href="/">{siteTitle}</a>
        </header>
        <main>{children}</main>
        <footer>
          <a href="/editions">Archive</a> · <a href="/feed.xml">Atom feed</a> · <a href="/preview">Today's preview</a>
        </footer>
      </body>
    </html>
  );
}
