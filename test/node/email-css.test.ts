// The caniemail check (@jsx-email/doiuse-email) of the built emails for Gmail, Outlook, Apple
// Mail and Yahoo. Every feature those clients lack must be on the list below with the fallback
// that keeps the email readable there; anything new fails the test until it is fixed or justified.
import { doIUseEmail } from "@jsx-email/doiuse-email";
import { describe, expect, it } from "vitest";
import { personalise, renderEmail } from "../../src/render/email";
import { renderConfirmEmail } from "../../src/render/confirm";
import { seedsDigest } from "./email-fixtures";

const CLIENTS = ["gmail.*", "outlook.*", "apple-mail.*", "yahoo.*"];

/** Feature (as caniemail names it) -> why it is safe where unsupported. */
const WITH_FALLBACK: Record<string, string> = {
  "@media":
    "Progressive: the mobile column width and dark-mode colours; without it the fluid 600px max-width layout and light colours apply.",
  "Class selector": "Only in the <style> blocks for @media (responsive, dark mode); every element is styled inline as well.",
  "Type selector": "Only MJML's resets in <style>; inline styles carry the design.",
  "ID selector": "MJML's `#outlook a` reset for Outlook.com; harmless elsewhere.",
  "Descendant combinator": "Only in the dark-mode and Outlook reset rules; inline styles are the fallback.",
  "Chaining selectors": "Only in the dark-mode rules (`.a, .b`); the light inline colours are the fallback.",
  "<body> element": "Clients that drop <body> keep MJML's wrapper <div>, which repeats the background colour.",
  "display:none": "Hidden preheader: layered with max-height:0, font-size:1px and background-coloured text.",
  opacity: "Hidden preheader, layered as above.",
  overflow: "Hidden preheader, layered as above.",
  "aria-label attribute": "Accessibility hint on the wrapper; ignored where unsupported.",
  "role attribute": "role=presentation/article are hints for screen readers; ignored where unsupported.",
  "border-radius": "Confirmation button corners; Outlook shows a square button, still a button.",
  "target attribute": "mj-button's target=_blank; webmail opens links in a new tab anyway.",
  "word-break": "Breaks overlong words at 320px where supported; elsewhere the column's fluid width still fits normal text.",
};

function unsupported(html: string): Map<string, Set<string>> {
  const result = doIUseEmail(html, { emailClients: CLIENTS });
  const errors = result.success ? [] : result.errors;
  const features = new Map<string, Set<string>>();
  for (const e of errors) {
    const m = /^`(.+?)` is not supported by `(.+?)`/.exec(e);
    expect(m, `unexpected doiuse message: ${e}`).not.toBeNull();
    const set = features.get(m![1]!) ?? new Set<string>();
    set.add(m![2]!);
    features.set(m![1]!, set);
  }
  return features;
}

describe("caniemail check for Gmail, Outlook, Apple Mail and Yahoo", () => {
  const digestHtml = personalise(
    renderEmail(seedsDigest(), { webUrl: "https://x.example/editions/2026-11-23" }),
    "https://x.example/u/1",
  ).html;
  const confirmHtml = renderConfirmEmail({
    title: "The Daily Digest",
    email: "a@example.com",
    confirmUrl: "https://x.example/c",
    expiresInHours: 48,
    senderIdentity: "Sender",
  }).html;

  for (const [name, html] of [
    ["digest", digestHtml],
    ["confirmation", confirmHtml],
  ] as const) {
    it(`${name} email: every unsupported feature has a fallback`, () => {
      const features = unsupported(html);
      const unexplained = [...features.keys()].filter((f) => !(f in WITH_FALLBACK));
      expect(
        unexplained,
        `unsupported without a fallback: ${unexplained.map((f) => `${f} (${[...features.get(f)!].join(", ")})`).join("; ")}`,
      ).toEqual([]);
      // Fixed rather than excused: MJML's resets that these clients reject are stripped at build time.
      expect(features.has("word-spacing")).toBe(false);
      expect(features.has("outline")).toBe(false);
    });
  }

  it("Apple Mail supports everything the digest uses", () => {
    const features = unsupported(digestHtml);
    const apple = [...features.entries()].filter(([, clients]) => [...clients].some((c) => c.startsWith("apple-mail")));
    expect(apple).toEqual([]);
  });
});
