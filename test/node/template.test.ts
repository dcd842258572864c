// fillTemplate against mustache.js (a devDependency for this check): the compiled templates and
// the Mustache rules they rely on give the same bytes, so the rendering did not change when the
// library left the bundle.
import Mustache from "mustache";
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../src/digest";
import { confirmHtml, digestHtml } from "../../src/generated/templates";
import { buildView } from "../../src/render/view";
import { escapeHtml } from "../../src/render/format";
import { fillTemplate } from "../../src/render/template";
import { bigDigest, HOSTILE, hostileDigest, seedsDigest } from "./email-fixtures";

const mustache = (template: string, view: unknown) => Mustache.render(template, view, undefined, { escape: escapeHtml });
const ctx = {
  webUrl: "https://digest.example.com/editions/2026-11-23",
  editionUrl: "https://digest.example.com/editions/2026-11-23",
  sender: { name: "The Daily Digest", postalAddress: "1 Example Street" },
  reason: "You subscribed & confirmed <yes>.",
};

describe("fillTemplate", () => {
  it("fills the digest template as mustache.js does, for every kind of digest and cut", () => {
    const digests = [seedsDigest(), hostileDigest(), bigDigest(30), buildDigest([], { date: "2026-11-23", title: "Empty" }).digest];
    for (const digest of digests) {
      for (const full of [1, 2, digest.stories.length]) {
        const view = buildView(digest, { ...ctx, sender: { name: "Digest", postalAddress: full === 1 ? "" : "1 Street" } }, full);
        expect(fillTemplate(digestHtml, view)).toBe(mustache(digestHtml, view));
      }
    }
  });

  it("fills the confirmation template as mustache.js does, hostile values escaped", () => {
    const view = {
      title: HOSTILE.mustache,
      email: `a+${HOSTILE.attr}@example.com`,
      confirmUrl: "https://x/c?t=a&b=1",
      expiresInHours: 48,
      senderIdentity: "",
    };
    const html = fillTemplate(confirmHtml, view);
    expect(html).toBe(mustache(confirmHtml, view));
    expect(html).not.toContain(HOSTILE.mustache);
  });

  it("follows Mustache's rules for lookups, sections, inverted sections and standalone lines", () => {
    const cases: Array<[string, unknown]> = [
      ["{{a}}|{{b}}|{{c}}|{{d}}|{{e}}", { a: 0, b: false, c: null, d: "<&>\"'`{}%", e: 1.5 }],
      ["{{#list}}[{{.}}]{{/list}}{{^list}}none{{/list}}", { list: ["x", 2, "<y>"] }],
      ["{{#list}}[{{.}}]{{/list}}{{^list}}none{{/list}}", { list: [] }],
      ["{{#zero}}z{{/zero}}{{^zero}}not{{/zero}}{{#one}}{{one}}{{/one}}{{#t}}T{{x}}{{/t}}", { zero: 0, one: 1, t: true, x: "outer" }],
      ["{{#o}}{{name}}/{{x}}/{{#inner}}{{name}}-{{x}}{{/inner}}{{/o}}", { x: "root", o: { name: "o", inner: { name: "i" } } }],
      ["{{#s}}{{length}}:{{.}}{{/s}}", { s: "text" }],
      ["a\n{{#s}}\n  b\n{{/s}}\n  {{^s}}  \nc\n{{/s}}\nd", { s: true }],
      ["a\n  {{#s}}  {{/s}}  \n{{x}} {{#s}}\n\t{{! note }}\ne{{/s}}\n{{/missing}}", { s: [1, 2], x: "x" }],
      ["{{#list}}\n<li>{{href}}{{^href}}-{{/href}}</li>\n{{/list}}\n", { href: "outer", list: [{ href: "" }, { href: "h" }, {}] }],
      ["{{ spaced }}{{#  a  }}in{{/ a }}", { spaced: "s", a: true }],
    ];
    for (const [template, view] of cases) {
      if (template.includes("{{/missing}}")) {
        expect(() => fillTemplate(template, view)).toThrow();
        expect(() => mustache(template, view)).toThrow();
      } else expect(fillTemplate(template, view), JSON.stringify(template)).toBe(mustache(template, view));
    }
  });
});
