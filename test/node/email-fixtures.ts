// Digests for the email tests: the seeds' real digest, a hostile one, and a 60-story one.
import { buildDigest } from "../../src/digest";
import type { Digest, Story } from "../../src/digest/types";
import { seedArticles } from "../../src/sources/seeds";

export const seedsDigest = (): Digest => buildDigest(seedArticles(), { date: "2026-11-23", title: "The Daily Digest" }).digest;

/** Article text that must show as text everywhere, never as markup or template syntax. */
export const HOSTILE = {
  script: "<script>alert('x')</script>",
  attr: '"><img src=x onerror=alert(1)>',
  mustache: "{{title}} {{{webUrl}}} {{#stories}}loop{{/stories}}",
  sentinel: "%%UNSUBSCRIBE_URL%%",
};

export function hostileDigest(): Digest {
  return {
    title: "The Daily Digest",
    date: "2026-11-23",
    stories: [
      {
        id: "s-hostile",
        update: false,
        headline: `Headline ${HOSTILE.script}`,
        summary: [`Attr ${HOSTILE.attr} end.`, `Template ${HOSTILE.mustache} end.`, `Sentinel ${HOSTILE.sentinel} end.`],
        sources: [
          { id: "evil.txt", title: `Title ${HOSTILE.attr}`, url: "javascript:alert(1)", publisher: `Pub ${HOSTILE.script}` },
          { id: "ok.txt", url: "https://example.org/a?x=1&y=2", publisher: "Example" },
        ],
      },
    ],
  };
}

const WORDS = "council budget river bridge school report vote market energy price court ruling storm coast harbour rail".split(" ");

/** A long digest with realistic sentence lengths, for the size budget. */
export function bigDigest(n: number): Digest {
  const stories: Story[] = [];
  for (let i = 0; i < n; i++) {
    const w = (k: number) => WORDS[(i * 7 + k) % WORDS.length];
    const sentence = (k: number) =>
      `Officials said on Tuesday that the ${w(k)} ${w(k + 1)} plan for story ${i} would change how the ${w(k + 2)} ` +
      `and the ${w(k + 3)} are run over the next three years, according to people briefed on it.`;
    stories.push({
      id: `s-${String(i).padStart(3, "0")}`,
      update: false,
      headline: `Story ${i}: the ${w(0)} ${w(1)} decision that changes the ${w(2)}`,
      summary: [sentence(0), sentence(1), sentence(2)],
      sources: [
        { id: `a${i}.txt`, publisher: `Publisher ${i}`, url: `https://news.example.com/${i}/article-with-a-long-slug-for-realism` },
        { id: `b${i}.txt`, title: `Second source ${i}` },
      ],
    });
  }
  return { title: "The Daily Digest", date: "2026-11-23", stories };
}
