// `npm run digest -- --input FEED` for each kind of feed in the wild: every item becomes a source
// with its title, URL, publisher, date and author, whatever the format's quirks (xml:base, HTML in
// titles, CDATA, double-escaped bodies, items without a title or a description); and a feed's URL.
// `--format items` shows what the parser read of each conformance fixture, in Node as in workerd;
// several inputs and folders of feeds make one digest; --help; text and html for a terminal.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONFORMANCE, squeeze } from "../sources/feed-conformance-cases";
import { startFixtureServer } from "../support/fixture-server";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = join(root, "node_modules", ".bin", "tsx");
const kinds = "test/fixtures/feeds/kinds/";

interface Src {
  id: string;
  title?: string;
  url?: string;
  publisher?: string;
  publishedAt?: string;
  author?: string;
}
interface DigestJson {
  stories: { id: string; update: boolean; summary: string[]; sources: Src[] }[];
}

function sourcesOf(stdout: string): Src[] {
  const d = JSON.parse(stdout) as DigestJson;
  for (const s of d.stories) expect(s.update).toBe(false);
  return d.stories.flatMap((s) => s.sources).sort((a, b) => a.id.localeCompare(b.id));
}

const cli = (...args: string[]) => spawnSync(tsx, ["src/cli.ts", ...args], { cwd: root, encoding: "utf8" });

function digestFile(file: string) {
  const r = spawnSync(tsx, ["src/cli.ts", "--input", kinds + file, "--format", "json", "--date", "2026-11-23"], {
    cwd: root,
    encoding: "utf8",
  });
  expect(r.status, r.stderr).toBe(0);
  return sourcesOf(r.stdout);
}

const CASES: [string, Src[]][] = [
  [
    "rss-0.91.xml",
    [
      {
        id: "https://classic.example/ferry-night",
        title: "Ferry operator adds a night crossing",
        url: "https://classic.example/ferry-night",
        publisher: "Harbour Gazette Classic",
        publishedAt: "2026-11-17T09:00:00.000Z",
        author: "Harry Harbour",
      },
    ],
  ],
  // No title: the source has none (never invented); the escaped HTML body is read.
  [
    "rss-0.92.xml",
    [
      {
        id: "https://radio.example/studio-move",
        url: "https://radio.example/studio-move",
        publisher: "Valley Radio",
        publishedAt: "2026-11-18T11:00:00.000Z",
        author: "Valley Radio newsroom",
      },
    ],
  ],
  [
    "rss-1.0.xml",
    [
      {
        id: "https://rdf.example/pass-reopens",
        title: "Mountain pass reopens after rockfall",
        url: "https://rdf.example/pass-reopens",
        publisher: "Mountain Courier",
        publishedAt: "2026-11-19T08:30:00.000Z",
        author: "Mona Mountain",
      },
    ],
  ],
  [
    "rss-2.0-edge.xml",
    [
      // Escaped HTML in the title reduced to text; a relative link resolved against xml:base; CDATA body.
      {
        id: "edge-cycle-lanes",
        title: "Council approves new cycle lanes",
        url: "https://edge.example/news/cycle-lanes.html",
        publisher: "Edge & Co. News",
        publishedAt: "2026-11-17T08:00:00.000Z",
        author: "Cleo Council",
      },
      // No description: the title is the item's only text.
      {
        id: "https://edge.example/news/airport-strike",
        title: "Airport strike called off after overnight talks with the unions",
        url: "https://edge.example/news/airport-strike",
        publisher: "Edge & Co. News",
        publishedAt: "2026-11-20T06:00:00.000Z",
      },
      // Double-escaped body; the guid is the link.
      {
        id: "https://edge.example/news/library-hours",
        title: "Library extends its opening hours",
        url: "https://edge.example/news/library-hours",
        publisher: "Edge & Co. News",
        publishedAt: "2026-11-18T10:00:00.000Z",
      },
      // No title.
      {
        id: "https://edge.example/news/untitled-market",
        url: "https://edge.example/news/untitled-market",
        publisher: "Edge & Co. News",
        publishedAt: "2026-11-19T07:00:00.000Z",
      },
    ],
  ],
  [
    "atom-0.3.xml",
    [
      {
        id: "tag:lakeside.example,2026:water-quality",
        title: "Lake water quality best in a decade",
        url: "https://lakeside.example/water-quality",
        publisher: "Lakeside Weekly",
        publishedAt: "2026-11-18T12:00:00.000Z",
        author: "Lena Lake",
      },
    ],
  ],
  [
    "atom-1.0-base.xml",
    [
      // xml:base on the feed and on the entry; an XHTML title.
      {
        id: "urn:uuid:bridge-festival",
        title: "Bridge festival draws record crowds",
        url: "https://atom.example/blog/2026/11/bridge-festival",
        publisher: "Riverside Times",
        publishedAt: "2026-11-21T10:00:00.000Z",
        // The feed's author: the entry names none.
        author: "Riverside desk",
      },
      // An html title escaped twice (&amp;amp;); a root-relative link.
      {
        id: "urn:uuid:tram-extension",
        title: "Tram line extension & new stops approved",
        url: "https://atom.example/tram/extension",
        publisher: "Riverside Times",
        publishedAt: "2026-11-20T09:00:00.000Z",
        author: "Tam Tram",
      },
    ],
  ],
  [
    "jsonfeed-1.0.json",
    [
      {
        id: "1",
        title: "Apple harvest up a third on last year",
        url: "https://orchard.example/apple-harvest",
        publisher: "Orchard Post",
        publishedAt: "2026-11-16T08:00:00.000Z",
        // JSON Feed 1.0's feed-level author is every item's author when the item names none.
        author: "Orchard Post desk",
      },
    ],
  ],
  [
    "jsonfeed-1.1.json",
    [
      {
        id: "tech-42",
        title: "Port installs tide sensors",
        url: "https://tech.example/posts/port-sensors",
        publisher: "Harbour Tech",
        publishedAt: "2026-11-17T15:00:00.000Z",
        author: "Harbour Tech",
      },
      { id: "tech-43", url: "https://elsewhere.example/data-centre", publisher: "Harbour Tech", author: "Harbour Tech" },
    ],
  ],
];

describe("npm run digest -- --input FEED", () => {
  it.each(CASES)("gives every item of %s as a source with its title, URL, publisher and date", (file, expected) => {
    expect(digestFile(file)).toEqual([...expected].sort((a, b) => a.id.localeCompare(b.id)));
  });

  describe("from a URL", () => {
    let server: Awaited<ReturnType<typeof startFixtureServer>>;
    beforeAll(async () => {
      server = await startFixtureServer();
    });
    afterAll(() => server.server.close());

    const run = (url: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
        const p = spawn(tsx, ["src/cli.ts", "--input", url, "--format", "json"], { cwd: root });
        let stdout = "";
        let stderr = "";
        p.stdout.on("data", (d) => (stdout += d));
        p.stderr.on("data", (d) => (stderr += d));
        p.on("close", (code) => done({ code, stdout, stderr }));
      });

    it("fetches an http(s) feed and digests it", async () => {
      const r = await run(`${server.url}/feeds/kinds/atom-1.0-base.xml`);
      expect(r.code, r.stderr).toBe(0);
      expect(sourcesOf(r.stdout).map((s) => s.url)).toEqual([
        "https://atom.example/blog/2026/11/bridge-festival",
        "https://atom.example/tram/extension",
      ]);
    });

    it("refuses a feed over 2 MB and a missing one, with a message and exit code 2", async () => {
      const huge = await run(`${server.url}/huge/${3 * 1024 * 1024}.xml`);
      expect(huge.code).toBe(2);
      expect(huge.stderr).toMatch(/larger than 2048 KB/);
      const missing = await run(`${server.url}/feeds/nope.xml`);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/HTTP 404/);
    });
  });
});

describe("npm run digest -- --format items", () => {
  it("prints, for each conformance fixture, what a reader would get (as in workerd)", () => {
    // One run over the folder: its feed files are read in name order, as the expectations are laid out here.
    const r = cli("--input", "test/fixtures/feeds/conformance", "--format", "items");
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, string | null>);
    const expected = Object.keys(CONFORMANCE)
      .sort()
      .flatMap((file) => CONFORMANCE[file]!);
    expect(lines.map((l) => ({ ...l, text: squeeze(l.text ?? null) }))).toEqual(
      expected.map((e) => ({ ...e, id: e.id ?? expect.any(String), text: squeeze(e.text) })),
    );
    expect(r.stderr).toMatch(/invalid-utf8\.xml: 1 undecodable byte sequence\(s\) in utf-8/);
    expect(r.stderr).toMatch(/billion-laughs\.xml: 3 entity reference\(s\) could not be expanded .*&lol9;/);
  });

  it("shows an author and a date for an item of every feed kind in test/fixtures/feeds/kinds", () => {
    const r = cli("--input", kinds, "--format", "items");
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; author: string | null; publishedAt: string | null; updatedAt: string | null });
    const byKind = new Map<string, typeof lines>();
    const kindOf: Record<string, string> = {
      "tag:lakeside.example,2026:water-quality": "atom-0.3",
      "urn:uuid:bridge-festival": "atom-1.0",
      "1": "jsonfeed-1.0",
      "tech-42": "jsonfeed-1.1",
      "https://classic.example/ferry-night": "rss-0.91",
      "https://radio.example/studio-move": "rss-0.92",
      "https://rdf.example/pass-reopens": "rss-1.0",
      "edge-cycle-lanes": "rss-2.0",
    };
    for (const l of lines) if (kindOf[l.id]) byKind.set(kindOf[l.id]!, [...(byKind.get(kindOf[l.id]!) ?? []), l]);
    expect([...byKind.keys()].sort()).toEqual(Object.values(kindOf).sort());
    for (const [kind, ls] of byKind) {
      expect(ls[0]!.author, kind).toMatch(/\S/);
      expect(ls[0]!.publishedAt ?? ls[0]!.updatedAt, kind).toMatch(/^2026-11-\d\dT/);
    }
  });
});

describe("npm run digest: the command line", () => {
  it("prints its usage for --help and exits 0", () => {
    const r = cli("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: npm run digest -- \[options\]/);
    for (const opt of ["--input", "--format", "items", "--date", "--max-sentences"]) expect(r.stdout).toContain(opt);
    expect(cli("-h").stdout).toBe(r.stdout);
  });

  it("digests several inputs and a folder of feed files together, as one edition", () => {
    const folder = mkdtempSync(join(tmpdir(), "digest-feeds-"));
    for (const f of readdirSync(kinds)) copyFileSync(join(root, kinds, f), join(folder, f));
    const both = cli("--input", folder, "--input", "test/fixtures/feeds/rss.xml", "--format", "json", "--date", "2026-11-23");
    expect(both.status, both.stderr).toBe(0);
    const ids = sourcesOf(both.stdout).map((s) => s.id);
    // Every item of the folder's eight feeds, and those of the second input.
    expect(ids).toContain("urn:uuid:tram-extension");
    expect(ids).toContain("tech-43");
    expect(ids).toContain("https://radio.example/studio-move");
    expect(ids).toContain("https://gazette.example/bridge");
    expect(both.stderr).toMatch(/digest: 15 articles -> \d+ stor(y|ies) in/);
    // The same feed given twice is read once.
    const twice = cli("--input", kinds + "atom-0.3.xml", "--input", kinds + "atom-0.3.xml", "--format", "json");
    expect(twice.status, twice.stderr).toBe(0);
    expect(sourcesOf(twice.stdout)).toHaveLength(1);
    expect(twice.stderr).toMatch(/digest: 1 article -> 1 story in/);
  });

  it("shows text and html for a reader, with no mail placeholders or example.com links", () => {
    for (const format of ["text", "html"]) {
      const r = cli("--input", kinds + "rss-2.0-edge.xml", "--format", format, "--date", "2026-11-23");
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(/%%[A-Z_]+%%|example\.com|Unsubscribe|View in browser/);
      expect(r.stdout).toContain("Council approves new cycle lanes");
      expect(r.stdout).toContain("https://edge.example/news/cycle-lanes.html");
    }
    const html = cli("--input", kinds + "rss-2.0-edge.xml", "--format", "html").stdout;
    expect(html).toMatch(/^<!doctype html>/i);
    // The source's author beside its label.
    expect(html).toContain("by Cleo Council");
  });
});
