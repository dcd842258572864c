// Cleaning: each boilerplate kind, caption and credit shapes, general signals on made-up text.
import { describe, expect, it } from "vitest";
import { cleanText, dropReason, repeatedLines } from "../../src/digest/clean";
import { ingest } from "../../src/digest/ingest";
import { normalizeText } from "../../src/digest/text";

const P1 = "The council approved the new budget on Monday after a long debate.";
const P2 = "Members said the plan would fund three new schools and a library.";

function cleaned(...lines: string[]): string[] {
  return cleanText(lines.join("\n\n")).paragraphs;
}

describe("cleanText", () => {
  it('drops "Read more:" and the teaser headline after it', () => {
    expect(cleaned(P1, "Read more:", "A look back at a year of budget fights in the city", P2)).toEqual([P1, P2]);
  });

  it('drops "The story continues below the ad"', () => {
    expect(cleaned(P1, "The story continues below the ad", P2)).toEqual([P1, P2]);
  });

  it('drops "Click to play the video:" and the video title', () => {
    expect(cleaned(P1, "Click to play the video:", "Mayor explains what the budget means for you", P2)).toEqual([P1, P2]);
  });

  it("drops photo captions and credits of several shapes", () => {
    for (const caption of [
      "U.S. Secretary of State Antony Blinken (L) and Russian Foreign Minister Sergey Lavrov. (Kyodo)",
      "Council members vote on the budget. (AP Photo/Jane Doe)",
      "Photo: The council chamber on Monday.",
      "The mayor arrives at city hall. Getty Images",
      "Council leader Ann Lee (right) speaks to reporters.",
    ]) {
      expect(cleaned(P1, caption, P2), caption).toEqual([P1, P2]);
    }
  });

  it("drops bylines, share prompts and wire credits", () => {
    expect(cleaned("By Jane Doe, City Reporter", P1, "Share this article", P2, "(Reporting by Jane Doe; Editing by John Roe)")).toEqual([
      P1,
      P2,
    ]);
    expect(dropReason("Follow us on Twitter for more.")).toBe("call-to-action");
  });

  it("drops a long legal notice and a post embedded from a social network", () => {
    const notice =
      "(TM and © Copyright 2026 Example Radio Inc. and its relevant subsidiaries. EXAMPLE RADIO and its logo are trademarks of Example Broadcasting Inc. Used under license. All Rights Reserved. This material may not be published, broadcast, rewritten, or redistributed. The Associated Press contributed to this report.)";
    const post =
      "UPDATE: one possible suspect in custody, no other suspects wanted. — Springfield Police Dept. (@SpringfieldPD) April 24, 2026";
    expect(cleaned(P1, post, P2, notice)).toEqual([P1, P2]);
    expect(dropReason(notice)).toBe("copyright");
    expect(dropReason(post)).toBe("embed");
    // A paragraph of prose about a copyright is not a notice.
    const prose =
      "The council said on Monday that the copyright on the old city seal belongs to the public library, which has printed it on every card it issued since 1990, and will keep doing so.";
    expect(dropReason(prose)).toBeUndefined();
  });

  it("drops a station reporter's handoff to a video, and keeps a sentence of that shape with news in it", () => {
    expect(cleaned(`${P1} WXYZ7's Jane Roe has the latest.`, `${P2} News4's John Roe reports from a vigil in Springfield.`)).toEqual([
      P1,
      P2,
    ]);
    const news = "The mayor's aide Anne Lee reports to the council every week, officials said.";
    expect(cleaned(news)).toEqual([news]);
  });

  it("uses general signals: short lines without sentence punctuation go, prose stays", () => {
    expect(dropReason("An unrelated teaser about something else entirely")).toBe("unterminated");
    expect(dropReason(P1)).toBeUndefined();
    // A long paragraph that happens to lack a final period is still prose.
    const long = "The budget " + "includes money for roads and bridges and parks ".repeat(5) + "across the city";
    expect(dropReason(long)).toBeUndefined();
  });

  it("drops short lines repeated within an article and across several articles", () => {
    const promo = "Sign in to keep reading our coverage.";
    expect(cleaned(P1, promo, P2, promo)).toEqual([P1, P2]);
    const texts = [0, 1, 2].map((i) => `Story ${i} begins here with a full sentence.\n\nA promo line that ends with a period.`);
    const rep = repeatedLines(texts);
    expect(cleanText(texts[0]!, { repeatedAcrossArticles: rep }).paragraphs).toEqual(["Story 0 begins here with a full sentence."]);
  });

  it("removes a caption glued inside a paragraph", () => {
    const p = cleaned(
      "The team stayed unbeaten under the new coach. Fans cheer the new coach at the stadium He has won six games in a row.",
    );
    expect(p).toEqual(["The team stayed unbeaten under the new coach. He has won six games in a row."]);
  });

  it("strips a wire dateline and joins hard-wrapped lines", () => {
    expect(cleaned("NEW DELHI (AP) - " + P1)).toEqual([P1]);
    // A place in title case, when a date and a wire's name follow it.
    expect(cleaned(`Springfield, February 9 (Xinhua) -- ${P1}`)).toEqual([P1]);
    // A desk's sign-off closing the paragraph.
    expect(
      cleaned(`${P1} ${P2.replace(/\.$/, " on Monday and will be paid for by a new tax on hotel rooms in the city centre.")} (ms-aet)`),
    ).toEqual([`${P1} ${P2.replace(/\.$/, " on Monday and will be paid for by a new tax on hotel rooms in the city centre.")}`]);
    // A local station's call sign in place of a wire's name.
    expect(cleaned("SPRINGFIELD, OH (WXYZ) - " + P1)).toEqual([P1]);
    const wrapped =
      "The council approved the new budget on Monday after a long\ndebate that lasted well into the night and left members tired.";
    expect(cleaned(wrapped)).toEqual([wrapped.replace("\n", " ")]);
  });

  it("normalises quotes, dashes and spaces but keeps Unicode letters", () => {
    expect(normalizeText("“Ça va” — dit-il\u00A0à Zürich’s café")).toBe('"Ça va" - dit-il à Zürich\'s café');
  });
});

describe("ingest", () => {
  it("reads Markdown front matter and strips Markdown syntax", () => {
    const r = ingest({
      id: "a.md",
      body:
        '---\ntitle: "Council passes budget"\nurl: https://example.com/budget\npublisher: City News\ndate: 2026-03-02\n---\n' +
        "# Ignored heading\n\nThe **council** approved [the budget](https://x.y).\n",
    });
    expect(r.article?.title).toBe("Council passes budget");
    expect(r.article?.url).toBe("https://example.com/budget");
    expect(r.article?.publisher).toBe("City News");
    expect(r.article?.publishedAt).toBe("2026-03-02");
    expect(r.article?.text).toContain("The council approved the budget.");
  });

  it("reduces HTML to text, drops scripts and figure captions, reads title and meta", () => {
    const html = `<!doctype html><html><head><title>Budget passes - City News</title>
      <meta property="og:site_name" content="City News"><meta property="article:published_time" content="2026-03-02T10:00:00Z">
      <script>var x = "The council approved";</script></head><body><nav>Home | News</nav>
      <article><p>The council approved the budget &amp; the plan.</p><figure><img src=x><figcaption>The mayor (L)</figcaption></figure>
      <p>Members said it was fair.</p></article><script>alert(1)</script></body></html>`;
    const r = ingest({ id: "a.html", body: html, format: "html" });
    expect(r.article?.title).toBe("Budget passes - City News");
    expect(r.article?.publisher).toBe("City News");
    expect(r.article?.publishedAt).toBe("2026-03-02T10:00:00.000Z");
    expect(r.article?.text).toContain("The council approved the budget & the plan.");
    expect(r.article?.text).not.toMatch(/alert|var x|mayor|Home \| News/);
  });

  it("never invents metadata and skips empty or binary input with a warning naming it", () => {
    const plain = ingest({ id: "p.txt", body: "Just text." });
    expect(plain.article?.title).toBeUndefined();
    expect(plain.article?.publishedAt).toBeUndefined();
    expect(ingest({ id: "empty.txt", body: "  \n " }).warning).toMatch(/empty\.txt/);
    const bin = ingest({ id: "img.png", body: "\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR" });
    expect(bin.article).toBeUndefined();
    expect(bin.warning).toMatch(/img\.png.*binary/);
  });
});
