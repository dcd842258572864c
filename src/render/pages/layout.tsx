// The site's page shell (hono/jsx, server-rendered, no client script). Every page uses it, and
// its stylesheet is inlined from templates/site.css, allowed by hash in PAGE_CSP
// (src/http/policy.ts).
import type { Child } from "hono/jsx";
import { siteCss } from "../../generated/templates";

export interface LayoutProps {
  title: string;
  siteTitle: string;
  /** One sentence for <meta name="description">. */
  description?: string;
  children?: Child;
}

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
