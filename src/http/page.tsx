// The one HTML page shell for answers built in the HTTP layer (subscription pages, the dev
// mailbox, error pages): the site Layout around a body, as a complete document.
import { html } from "hono/html";
import type { Child } from "hono/jsx";
import { Layout } from "../render/pages/layout";

/**
 * A complete HTML document for c.html().
 * @example return c.html(page(config.title, "Subscribe", <SubscribeForm />));
 */
export function page(siteTitle: string, title: string, body: Child) {
  return html`<!doctype html>${(
    <Layout title={title} siteTitle={siteTitle}>
      {body}
    </Layout>
  )}`;
}

/**
 * An error page in the site's look. `siteTitle` is unknown when the config itself is broken.
 * @example return c.html(errorPage(config.title, "Not found", "No edition with that id."), 404);
 */
export function errorPage(siteTitle: string | undefined, title: string, message: string) {
  return page(
    siteTitle ?? title,
    title,
    <>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Home</a>
      </p>
    </>,
  );
}

/**
 * A page component (which renders the Layout itself) as a document string, for sendCached.
 * @example sendCached(c, document(<ArchivePage ... />), HTML, { cacheControl: CACHE.list })
 */
export function document(node: { toString(): string }): string {
  return `<!doctype html>${node.toString()}`;
}

export const HTML = "text/html; charset=utf-8";
