// The web version of one edition: every story in full with its sources, each source linking to
// its cleaned full text. EditionContent is also the Atom feed entry's content.
import type { Digest, Source, Story } from "../../digest/types";
import { dateLabel, safeHttpUrl, shownHeadline } from "../format";
import { sourceLabel, storyAnchor } from "../view";
import { siteCss } from "../../generated/templates";
import { Layout } from "./layout";

export interface EditionContentProps {
  digest: Digest;
  /** URL of a source's cleaned text on this site (relative on pages, absolute in the feed). */
  sourceTextHref: (source: Source) => string;
}

function SourceItem({ source, href, index }: { source: Source; href: string; index: number }) {
  const own = safeHttpUrl(source.url);
  const label = sourceLabel(source, index);
  return (
    <li>
      {href ? <a href={href}>{label}</a> : <span>{label}</span>}
      {source.author && source.author !== label ? <span> by {source.author}</span> : null}
      {source.title && source.title !== label ? <span> — {source.title}</span> : null}
      {own ? (
        <span>
          {" "}
          (
          <a href={own} rel="noopener noreferrer">
            original
          </a>
          )
        </span>
      ) : null}
    </li>
  );
}

function StoryBlock({ story, sourceTextHref }: { story: Story; sourceTextHref: (s: Source) => string }) {
  return (
    <article class="story" id={storyAnchor(story)}>
      <h2>{shownHeadline(story)}</h2>
      {story.update && story.firstEdition ? (
        <p class="muted">
          Continues a story first reported in{" "}
          <a href={`/editions/${encodeURIComponent(story.firstEdition)}#${encodeURIComponent(storyAnchor(story))}`}>an earlier edition</a>.
        </p>
      ) : null}
      {story.summary.map((s) => (
        <p>{s}</p>
      ))}
      <div class="sources">
        Sources (full text):
        <ul>
          {story.sources.map((src, i) => (
            <SourceItem source={src} href={sourceTextHref(src)} index={i} />
          ))}
        </ul>
      </div>
    </article>
  );
}

/**
 * The stories of an edition, without the page shell.
 * @example (await <EditionContent digest={d} sourceTextHref={(s) => `/x/${s.id}`} />).toString()
 */
export function EditionContent({ digest, sourceTextHref }: EditionContentProps) {
  return (
    <div>
      {digest.stories.length > 1 ? (
        <nav aria-label="In this issue">
          <h2>In this issue</h2>
          <ol class="toc">
            {digest.stories.map((s) => (
              <li>
                <a href={`#${storyAnchor(s)}`}>{shownHeadline(s)}</a>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      {digest.stories.map((s) => (
        <StoryBlock story={s} sourceTextHref={sourceTextHref} />
      ))}
    </div>
  );
}

export interface EditionPageProps {
  siteTitle: string;
  id: string;
  digest: Digest;
}

/**
 * GET /editions/:id.
 * @example c.html(<EditionPage siteTitle="Digest" id="2026-11-23" digest={d} />)
 */
export function EditionPage({ siteTitle, id, digest }: EditionPageProps) {
  const base = `/editions/${encodeURIComponent(id)}`;
  return (
    // The Layout appends the site's title; an edition titled like the site would show it twice.
    <Layout
      title={digest.title === siteTitle ? dateLabel(digest.date) : `${digest.title} · ${dateLabel(digest.date)}`}
      siteTitle={siteTitle}
      description={digest.stories.map((s) => shownHeadline(s)).join(" · ")}
    >
      <p class="muted">
        <a href="/editions">Archive</a> · {dateLabel(digest.date)}
      </p>
      <h1>{digest.title}</h1>
      {digest.stories.length === 0 ? <p>This edition has no stories.</p> : null}
      <EditionContent digest={digest} sourceTextHref={(s) => `${base}/sources/${encodeURIComponent(s.id)}`} />
    </Layout>
  );
}

/**
 * One edition as a standalone document, with no site around it (`npm run digest -- --format html`):
 * sources link to their originals only, since there is no site to hold their cleaned text.
 * @example "<!doctype html>" + (await <EditionDocument digest={d} />).toString()
 */
export function EditionDocument({ digest }: { digest: Digest }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${digest.title} · ${dateLabel(digest.date)}`}</title>
        <style dangerouslySetInnerHTML={{ __html: siteCss }} />
      </head>
      <body>
        <main>
          <p class="muted">{dateLabel(digest.date)}</p>
          <h1>{digest.title}</h1>
          {digest.stories.length === 0 ? <p>No stories.</p> : null}
          <EditionContent digest={digest} sourceTextHref={() => ""} />
        </main>
      </body>
    </html>
  );
}
