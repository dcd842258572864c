// `npm run digest -- --input FEED` for each kind of feed in the wild: every item becomes a source
// with its title, URL, publisher and date, whatever the format's quirks (xml:base, HTML in titles,
// CDATA, double-escaped bodies, items without a title or a description); and a feed's URL.
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
      },
    ],
  ],
  // No title: the source has none (never invented); the escaped HTML body is read.
  ["rss-0.92.xml", [{ id: "https://radio.example/studio-move", url: "https://radio.example/studio-move", publisher: "Valley Radio" }]],
  [
    "rss-1.0.xml",
    [
      {
        id: "https://rdf.example/pass-reopens",
        title: "Mountain pass reopens after rockfall",
        url: "https://rdf.example/pass-reopens",
        publisher: "Mountain Courier",
        publishedAt: "2026-11-19T08:30:00.000Z",
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
      },
      // An html title escaped twice (&amp;amp;); a root-relative link.
      {
        id: "urn:uuid:tram-extension",
        title: "Tram line extension & new stops approved",
        url: "https://atom.example/tram/extension",
        publisher: "Riverside Times",
        publishedAt: "2026-11-20T09:00:00.000Z",
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
