// The plain data that flows through the pure core: articles in, a Digest out.
// Nothing here knows about Cloudflare, so the CLI, the tests and the Worker share it.

/** One article as a source hands it over, before cleaning. */
export interface RawArticle {
  /** Stable id: the file name for seeds and folders, the JSONL `id`, the feed item's guid. */
  id: string;
  /** Body as the source gave it: plain text, Markdown or HTML (see `format`). */
  body: string;
  format?: "text" | "markdown" | "html";
  title?: string;
  url?: string;
  publisher?: string;
  /** ISO 8601 date-time, when the source says so. Never invented. */
  publishedAt?: string;
  /** Who wrote it (a feed item's author), when the source says so. */
  author?: string;
}

/** An article after cleaning: paragraphs of article prose only. */
export interface Article {
  id: string;
  title?: string;
  url?: string;
  publisher?: string;
  publishedAt?: string;
  author?: string;
  /** Cleaned paragraphs, in order. */
  paragraphs: string[];
}

/** Where a story's facts come from; `id` is the RawArticle id. */
export interface Source {
  id: string;
  title?: string;
  url?: string;
  publisher?: string;
  publishedAt?: string;
  /** Who wrote it, when the source says so. */
  author?: string;
}

export interface Story {
  /**
   * Stable id: derived from the story's earliest article, or the id of the earlier story it
   * continues, so it does not change as articles join.
   */
  id: string;
  /** True when it continues a story an earlier edition carried: only sentences not sent before. */
  update: boolean;
  /** On an update, the id of the edition that first carried the story, when the memory knows it. */
  firstEdition?: string;
  headline: string;
  /** Extractive summary sentences, in reading order. */
  summary: string[];
  sources: Source[];
}

export interface Digest {
  title: string;
  /** The edition's date, YYYY-MM-DD (UTC). */
  date: string;
  stories: Story[];
}

export interface DigestOptions {
  title?: string;
  /** YYYY-MM-DD; defaults to today (UTC) at the adapter, never read from the clock inside the core. */
  date: string;
  maxSentences?: number;
  maxWords?: number;
  /**
   * Stories earlier editions carried. Inputs whose id is a member of one are remembered articles:
   * they let new articles join the story, but are never sent again.
   */
  memory?: readonly StoryMemory[];
  /**
   * How many articles ever stored use each name (see `leadNames`): a remembered story is continued
   * only on names that are rare in this history, not merely in the batch.
   */
  nameHistory?: ReadonlyMap<string, number>;
}

/** A story an earlier edition carried, as the next build needs it. */
export interface StoryMemory {
  /** The story's id (kept by its updates). */
  id: string;
  /** Ids of every article the story holds so far. */
  articleIds: string[];
  /** Every summary sentence sent for it so far. */
  sentences: string[];
  /** The edition that first carried it (set by the store; a new story's is the edition being built). */
  firstEdition?: string;
}
