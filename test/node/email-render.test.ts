// The rendered digest email, parsed: structure, email-client basics, size budget, plain text,
// personalisation and escaping of hostile article text. Runs in Node on the same pure renderer
// the Worker uses, against the templates compiled by scripts/build.mjs.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseDocument } from "htmlparser2";
import { findAll, findOne, getAttributeValue, textContent } from "domutils";
import type { Element } from "domhandler";
import { describe, expect, it } from "vitest";
import { HTML_BUDGET_BYTES, personalise, renderEmail, UNSUBSCRIBE_PLACEHOLDER } from "../../src/render/email";
import { renderConfirmEmail } from "../../src/render/confirm";
import { utf8Bytes } from "../../src/render/format";
import { TEXT_WIDTH } from "../../src/render/text";
import { bigDigest, HOSTILE, hostileDigest, seedsDigest } from "./email-fixtures";

const root = fileURLToPath(new URL("../..", import.meta.url));
const EDITION = "https://digest.example.com/editions/2026-11-23";
const ctx = { webUrl: EDITION, sender: { name: "The Daily Digest", postalAddress: "1 Example Street, Exampletown" } };

const parse = (html: string) => parseDocument(html);
const all = (doc: ReturnType<typeof parse>, name: string) => findAll((e) => e.name === name, doc.children);
const byText = (doc: ReturnType<typeof parse>, re: RegExp) =>
  findAll((e) => re.test(textContent(e)) && e.children.every((c) => c.type !== "tag" || !re.test(textContent(c))), doc.children);

describe("build output", () => {
  it("is up to date with templates/ and seeds/ (fails when src/generated is stale)", () => {
    // Throws (non-zero exit) when the stamp does not match the sources.
    expect(() => execFileSync(process.execPath, ["scripts/build.mjs", "--check"], { cwd: root, stdio: "pipe" })).not.toThrow();
  });
});

describe("digest email HTML", () => {
  const digest = seedsDigest();
  const { html } = renderEmail(digest, ctx);
  const doc = parse(html);

  it("is a UTF-8 document with lang, a title and a viewport", () => {
    const htmlEl = findOne((e) => e.name === "html", doc.children)!;
    expect(getAttributeValue(htmlEl, "lang")).toBe("en");
    const metas = all(doc, "meta");
    expect(metas.some((m) => /charset=UTF-8/i.test(getAttributeValue(m, "content") ?? "") || getAttributeValue(m, "charset"))).toBe(true);
    expect(metas.some((m) => getAttributeValue(m, "name") === "viewport")).toBe(true);
    expect(metas.some((m) => getAttributeValue(m, "name") === "color-scheme" && /dark/.test(getAttributeValue(m, "content") ?? ""))).toBe(
      true,
    );
    expect(textContent(all(doc, "title")[0]!)).toContain("The Daily Digest");
  });

  it("uses layout tables with role=presentation only, and alt on every image", () => {
    const tables = all(doc, "table");
    expect(tables.length).toBeGreaterThan(3);
    for (const t of tables) expect(getAttributeValue(t, "role")).toBe("presentation");
    for (const img of all(doc, "img")) expect(getAttributeValue(img, "alt")).toBeDefined();
  });

  it("has a hidden preheader naming the top story", () => {
    const body = all(doc, "body")[0]!;
    const first = findOne((e) => e.name === "div", body.children)!;
    expect(getAttributeValue(first, "style")).toMatch(/display:none/);
    expect(textContent(first)).toContain(digest.stories[0]!.headline.slice(0, 30));
  });

  it("has the masthead, in-this-issue list, every story with summary and sources, and the footer", () => {
    const h1 = all(doc, "h1");
    expect(h1.map(textContent)).toEqual(["The Daily Digest"]);
    expect(textContent(doc)).toContain("Monday 23 November 2026");
    expect(byText(doc, /^In this issue$/).length).toBe(1);
    const headings = all(doc, "h2").map(textContent);
    for (const s of digest.stories) {
      expect(headings).toContain(s.headline);
      for (const sentence of s.summary) expect(textContent(doc)).toContain(sentence);
    }
    const links = all(doc, "a").map((a) => ({ href: getAttributeValue(a, "href"), text: textContent(a) }));
    // Seeds have no URLs: each source links to its cleaned text in the web edition.
    for (const src of digest.stories.flatMap((s) => s.sources))
      expect(links.map((l) => l.href)).toContain(`${EDITION}/sources/${encodeURIComponent(src.id)}`);
    expect(links.filter((l) => l.text === "View in browser").every((l) => l.href === EDITION)).toBe(true);
    expect(links.find((l) => l.text === "Unsubscribe")?.href).toBe(UNSUBSCRIBE_PLACEHOLDER);
    expect(textContent(doc)).toContain("1 Example Street, Exampletown");
    expect(textContent(doc)).toMatch(/You get this email because you subscribed/);
  });

  it("leaves no template syntax or MJML tags behind", () => {
    expect(html).not.toMatch(/\{\{|\}\}|<mj-/);
  });

  it("keeps inline styles on content and sizes that fit 320px screens", () => {
    for (const p of all(doc, "p")) expect(getAttributeValue(p, "style")).toBeTruthy();
    // MJML's mobile breakpoint makes columns full width; nothing may force a wider layout.
    expect(html).toMatch(/@media only screen and \(min-width:480px\)/);
    const fixedWidths = [...html.matchAll(/(?<![-\w])width:\s*(\d+)px/g)].map((m) => Number(m[1]));
    // Only the 600px outer container (max-width on the div, width inside Outlook-only comments).
    expect(Math.max(...fixedWidths)).toBeLessThanOrEqual(600);
    const outside = html.replace(/<!--\[if mso \| IE\]>[\s\S]*?<!\[endif\]-->/g, "");
    expect(outside).not.toMatch(/(?<![-\w])width:\s*600px/);
  });

  it("confirmation email is built from its template with the link and sender", () => {
    const confirm = renderConfirmEmail({
      title: "The Daily Digest",
      email: "a@example.com",
      confirmUrl: "https://x.example/c?t=1&u=2",
      expiresInHours: 48,
      senderIdentity: "Sender, 1 Street",
    });
    const cdoc = parse(confirm.html);
    const hrefs = all(cdoc, "a").map((a) => getAttributeValue(a, "href"));
    expect(hrefs).toContain("https://x.example/c?t=1&u=2");
    expect(textContent(cdoc)).toContain("Sender, 1 Street");
    expect(confirm.text).toContain("https://x.example/c?t=1&u=2");
  });
});

describe("source links", () => {
  it("are not invented when a source has no URL and there is no web edition (the preview)", () => {
    const digest = seedsDigest();
    const doc = parse(renderEmail(digest, { webUrl: "https://digest.example.com/preview" }).html);
    const hrefs = all(doc, "a").map((a) => getAttributeValue(a, "href"));
    expect(hrefs.filter((h) => h?.includes("#"))).toEqual([]);
    // Each source is named by its publisher (seeds/sources.json), never by its file name.
    expect(textContent(doc)).toContain("Kyodo News");
    expect(textContent(doc)).not.toContain(digest.stories[0]!.sources[0]!.id);
  });
});

describe("size budget", () => {
  it("keeps a 60-story digest under 90 KB with every story reachable", () => {
    const digest = bigDigest(60);
    const rendered = renderEmail(digest, ctx);
    const personal = personalise(rendered, "https://digest.example.com/unsubscribe?token=" + "x".repeat(300));
    expect(utf8Bytes(personal.html)).toBeLessThan(HTML_BUDGET_BYTES);
    const doc = parse(personal.html);
    const headings = all(doc, "h2").map(textContent);
    const moreLinks = all(doc, "a").map((a) => ({ href: getAttributeValue(a, "href") ?? "", text: textContent(a) }));
    expect(headings).toContain("More stories");
    let full = 0;
    let moved = 0;
    for (const s of digest.stories) {
      if (headings.includes(s.headline)) full++;
      else {
        // Moved stories keep their headline, linked to their anchor in the web edition.
        expect(moreLinks).toContainEqual({ href: `${EDITION}#${s.id}`, text: s.headline });
        moved++;
      }
    }
    expect(full + moved).toBe(60);
    expect(full).toBeGreaterThan(5);
    expect(moved).toBeGreaterThan(0);
    // The highest-ranked stories are the ones kept in full.
    expect(headings).toContain(digest.stories[0]!.headline);
    // And the plain text still has all 60 in full.
    for (const s of digest.stories) expect(rendered.text.replace(/\s+/g, " ")).toContain(s.summary[0]!);
  });

  it("moves nothing when the digest fits", () => {
    const digest = bigDigest(5);
    const doc = parse(renderEmail(digest, ctx).html);
    expect(all(doc, "h2").map(textContent)).not.toContain("More stories");
  });
});

describe("plain-text part", () => {
  const digest = seedsDigest();
  const { text } = renderEmail(digest, ctx);

  it("wraps at 72 columns except for long links, which are written out whole", () => {
    for (const line of text.split("\n")) {
      if (line.length > TEXT_WIDTH) expect(line.trim()).toMatch(/^(https?:\/\/|%%)\S+$/);
    }
  });

  it("has the masthead, every story, its sources' links, the footer and the unsubscribe placeholder", () => {
    expect(text.startsWith("The Daily Digest\nMonday 23 November 2026")).toBe(true);
    expect(text).toContain(`View in browser:\n${EDITION}`);
    const flat = text.replace(/\s+/g, " ");
    for (const s of digest.stories) {
      expect(flat).toContain(s.headline);
      for (const sentence of s.summary) expect(flat).toContain(sentence);
      for (const src of s.sources) expect(text).toContain(`${EDITION}/sources/${encodeURIComponent(src.id)}`);
    }
    expect(text).toContain("1 Example Street, Exampletown");
    expect(text.trimEnd().endsWith(`Unsubscribe:\n${UNSUBSCRIBE_PLACEHOLDER}`)).toBe(true);
  });
});

describe("personalisation", () => {
  it("substitutes the recipient's link in HTML (attribute-escaped) and text", () => {
    const rendered = renderEmail(seedsDigest(), ctx);
    const url = "https://digest.example.com/unsubscribe?t=abc&u=1";
    const p = personalise(rendered, url);
    expect(p.html).not.toContain(UNSUBSCRIBE_PLACEHOLDER);
    expect(p.text).not.toContain(UNSUBSCRIBE_PLACEHOLDER);
    const unsub = all(parse(p.html), "a").find((a) => textContent(a) === "Unsubscribe")!;
    expect(getAttributeValue(unsub, "href")).toBe(url);
    expect(p.text).toContain(url);
  });
});

describe("hostile article text", () => {
  const rendered = renderEmail(hostileDigest(), { webUrl: EDITION });
  const recipientUrl = "https://digest.example.com/unsubscribe?t=SECRET";
  const p = personalise(rendered, recipientUrl);
  const doc = parse(p.html);

  it("shows as text in the HTML: no script, no injected attributes, no template re-interpretation", () => {
    expect(all(doc, "script")).toHaveLength(0);
    expect(all(doc, "img")).toHaveLength(0);
    expect(findAll((e: Element) => Object.keys(e.attribs).some((a) => a.startsWith("on")), doc.children)).toHaveLength(0);
    const visible = textContent(doc);
    expect(visible).toContain(HOSTILE.script);
    expect(visible).toContain(HOSTILE.attr);
    expect(visible).toContain(HOSTILE.mustache);
    // The sentinel in article text is not the recipient's link: only the footer gets it.
    expect(visible).toContain(HOSTILE.sentinel);
    expect(p.html.split(recipientUrl)).toHaveLength(2);
  });

  it("never turns a javascript: URL into a link", () => {
    const hrefs = all(doc, "a").map((a) => getAttributeValue(a, "href") ?? "");
    expect(hrefs.some((h) => /^\s*javascript:/i.test(h))).toBe(false);
    expect(hrefs).toContain("https://example.org/a?x=1&y=2");
  });

  it("shows as literal text in the plain-text part, with the sentinel defused", () => {
    expect(p.text).toContain(HOSTILE.script);
    expect(p.text).toContain(HOSTILE.mustache);
    expect(p.text.split(recipientUrl)).toHaveLength(2);
    expect(p.text).not.toContain("javascript:");
  });
});
