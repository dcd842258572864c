// One source article's cleaned full text, as it stood when the edition was built.
import type { Article, Story } from "../../digest/types";
import { dateLabel, safeHttpUrl, shownHeadline } from "../format";
import { sourceLabel, storyAnchor } from "../view";
import { Layout } from "./layout";

export interface SourcePageProps {
  siteTitle: string;
  editionId: string;
  editionTitle: string;
  editionDate: string;
  article: Article;
  /** The stories that cite this article, to link back to. */
  stories: Story[];
}

/**
 * GET /editions/:id/sources/:sourceId.
 * @example c.html(<SourcePage siteTitle="Digest" editionId="2026-11-23" ... />)
 */
export function SourcePage({ siteTitle, editionId, editionTitle, editionDate, article, stories }: SourcePageProps) {
  const base = `/editions/${encodeURIComponent(editionId)}`;
  const label = sourceLabel(article);
  const own = safeHttpUrl(article.url);
  return (
    <Layout title={article.title ?? label} siteTitle={siteTitle}>
      <p class="muted">
        <a href={base}>
          {editionTitle} · {dateLabel(editionDate)}
        </a>
      </p>
      <h1>{article.title ?? label}</h1>
      <p class="muted">
        {article.publisher ? <span>{article.publisher} · </span> : null}
        {article.author ? <span>by {article.author} · </span> : null}
        {article.publishedAt ? <span>{article.publishedAt} · </span> : null}
        {own ? (
          <a href={own} rel="noopener noreferrer">
            Original article
          </a>
        ) : (
          <span>Full text as received</span>
        )}
      </p>
      {stories.length ? (
        <p class="muted">
          Cited by:{" "}
          {stories.map((s, i) => (
            <span>
              {i ? "; " : ""}
              <a href={`${base}#${storyAnchor(s)}`}>{shownHeadline(s)}</a>
            </span>
          ))}
        </p>
      ) : null}
      <div class="article">
        {article.paragraphs.map((p) => (
          <p>{p}</p>
        ))}
      </div>
    </Layout>
  );
}
