// GET /editions: every built edition, newest first, a page at a time.
import { dateLabel } from "../format";
import { Layout } from "./layout";

/** An edition in a list of links: the archive, the landing page's latest edition. */
export interface ArchiveItem {
  id: string;
  title: string;
  date: string;
  headlines: string[];
}

export interface ArchivePageProps {
  siteTitle: string;
  editions: ArchiveItem[];
  /** Link to the next (older) page, when there is one. */
  olderHref?: string;
}

/**
 * The archive list.
 * @example c.html(<ArchivePage siteTitle="Digest" editions={items} />)
 */
export function ArchivePage({ siteTitle, editions, olderHref }: ArchivePageProps) {
  return (
    <Layout title="Archive" siteTitle={siteTitle} description={`Every edition of ${siteTitle}, newest first.`}>
      <h1>Archive</h1>
      {editions.length === 0 ? <p>No editions yet. The first one is built at the next scheduled run.</p> : null}
      <ul class="archive">
        {editions.map((e) => (
          <li>
            <a href={`/editions/${encodeURIComponent(e.id)}`}>
              {e.title} · {dateLabel(e.date)}
            </a>
            {e.headlines.length ? <div class="muted">{e.headlines.join(" · ")}</div> : null}
          </li>
        ))}
      </ul>
      {olderHref ? (
        <p>
          <a href={olderHref}>Older editions</a>
        </p>
      ) : null}
    </Layout>
  );
}
