// An update links back to the edition that first carried its story: in the email (HTML and text)
// and on the web edition; a story new in its edition links nowhere.
import { describe, expect, it } from "vitest";
import type { Digest } from "../../src/digest/types";
import { renderEmail } from "../../src/render/email";
import { EditionContent } from "../../src/render/pages/edition";
import { firstEditionHref } from "../../src/render/view";

const digest: Digest = {
  title: "The Daily Digest",
  date: "2026-11-24",
  stories: [
    {
      id: "s-quake",
      update: true,
      firstEdition: "ed-2026-11-23",
      headline: "Antofagasta counts damage as aftershocks continue",
      summary: ["Two hundred homes in Antofagasta were damaged, the emergency office said."],
      sources: [{ id: "quake-2", publisher: "Wire Two" }],
    },
    {
      id: "s-budget",
      update: false,
      headline: "Norway's parliament passes the 2027 budget",
      summary: ["Norway's parliament passed the 2027 budget on Thursday."],
      sources: [{ id: "budget-1", publisher: "Wire One" }],
    },
  ],
};

describe("an update's link to the edition that first carried it", () => {
  it("sits beside this edition's URL, at the story's anchor", () => {
    expect(firstEditionHref("ed-1", "s-1", "https://d.example/editions/ed-2")).toBe("https://d.example/editions/ed-1#s-1");
    expect(firstEditionHref("ed 1", "s-1", "https://d.example/preview")).toBe("https://d.example/editions/ed%201#s-1");
  });

  it("is in the email's HTML and text, for the update only", () => {
    const email = renderEmail(digest, { webUrl: "https://d.example/editions/ed-2026-11-24" });
    const href = "https://d.example/editions/ed-2026-11-23#s-quake";
    expect(email.html).toContain(`href="${href}"`);
    expect(email.html.match(/first reported in/g)).toHaveLength(1);
    expect(email.text).toContain(href);
    expect(email.text.match(/first reported in/g)).toHaveLength(1);
  });

  it("is on the web edition, for the update only", async () => {
    const html = (await EditionContent({ digest, sourceTextHref: (s) => `/x/${s.id}` })).toString();
    expect(html).toContain('href="/editions/ed-2026-11-23#s-quake"');
    expect(html.match(/first reported in/g)).toHaveLength(1);
  });
});
