// Issue 21, F3: the full-text fetch stays on the public web. The address and URL checks are
// unit-tested; the fetch step gets a recording stand-in for `fetch` and a stand-in resolver, so
// no connection is ever opened to a private or public address. The only server contacted is the
// test run's own loopback fixture server.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { makeDeps } from "../../src/deps";
import { fetchPage, MAX_PAGE_REDIRECTS, PageRefused } from "../../src/sources/fetch";
import { addressKind, checkPageUrl, type PagePolicy, type Resolver, siteOf } from "../../src/sources/fetch-policy";
import { ingestSources } from "../../src/sources/ingest";
import { getSources } from "../../src/sources/store";

/** A `fetch` that opens no connection: it records each URL and answers from a table. */
function recorder(answers: Record<string, () => Response> = {}) {
  const calls: Array<{ url: string; redirect: string | undefined }> = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    calls.push({ url, redirect: init?.redirect });
    const answer = answers[url];
    return answer ? answer() : new Response("not in the stand-in's table", { status: 404 });
  }) as typeof fetch;
  return { calls, fetcher };
}

/** A resolver stand-in: a fixed table, and a record of what was asked. */
function resolver(table: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (host: string) => {
    asked.push(host);
    return table[host] ?? [];
  };
  return Object.assign(resolve, { asked });
}

const html = (body = "<p>page</p>") => new Response(body, { headers: { "content-type": "text/html; charset=utf-8" } });
const redirect = (to: string) => new Response(null, { status: 302, headers: { location: to } });
const publicPolicy = (feedUrl: string, extra: string[] = []): PagePolicy => ({ feedUrl, allowLoopback: false, extraHosts: extra });

describe("address checks", () => {
  it("tells loopback, private, link-local, carrier-grade NAT and reserved addresses from public ones, IPv4 and IPv6", () => {
    const cases: Array<[string, string]> = [
      ["127.0.0.1", "loopback"],
      ["127.8.9.10", "loopback"],
      ["::1", "loopback"],
      ["[::1]", "loopback"],
      ["::ffff:127.0.0.1", "loopback"],
      ["[::ffff:7f00:1]", "loopback"],
      ["10.0.0.1", "private"],
      ["172.16.5.4", "private"],
      ["172.31.255.255", "private"],
      ["192.168.1.1", "private"],
      ["169.254.169.254", "private"],
      ["100.64.0.1", "private"],
      ["100.127.255.254", "private"],
      ["0.0.0.0", "private"],
      ["224.0.0.1", "private"],
      ["255.255.255.255", "private"],
      ["::", "private"],
      ["fd00::1", "private"],
      ["fc12:3456::1", "private"],
      ["fe80::1%eth0", "private"],
      ["::ffff:10.0.0.1", "private"],
      ["::ffff:a9fe:a9fe", "private"],
      ["64:ff9b::a9fe:a9fe", "private"],
      ["2002:0a00:0001::1", "private"],
      ["2001:db8::1", "private"],
      ["93.184.215.14", "public"],
      ["172.32.0.1", "public"],
      ["100.128.0.1", "public"],
      ["2606:4700:4700::1111", "public"],
      ["::ffff:93.184.215.14", "public"],
    ];
    for (const [ip, kind] of cases) expect(addressKind(ip), ip).toBe(kind);
    for (const notIp of ["example.com", "1.2.3", "256.1.1.1", "1::2::3", "12345::1"]) expect(addressKind(notIp), notIp).toBeNull();
  });

  it("knows a feed's site: its host and sibling subdomains", () => {
    expect(siteOf("news.example.com")).toBe("example.com");
    expect(siteOf("www.example.com")).toBe("example.com");
    expect(siteOf("news.example.co.uk")).toBe("example.co.uk");
    expect(siteOf("10.0.0.1")).toBe("10.0.0.1");
  });
});

describe("URL checks", () => {
  const resolve = resolver({ "www.example.com": ["93.184.215.14"], "cdn.example.com": ["2606:4700::6810:84e5"] });
  const policy = publicPolicy("https://feeds.example.com/rss.xml");
  const refused = async (url: string, p = policy) => {
    const check = await checkPageUrl(url, p, resolve);
    expect(check.ok, url).toBe(false);
    return check.ok ? "" : check.reason;
  };

  it("refuses IP literals in special ranges, in every spelling the URL parser accepts", async () => {
    expect(await refused("http://10.0.0.1/")).toMatch(/private/);
    expect(await refused("http://169.254.169.254/latest/meta-data/")).toMatch(/private/);
    expect(await refused("http://[::1]/")).toMatch(/loopback/);
    expect(await refused("http://2130706433/")).toMatch(/127\.0\.0\.1 is a loopback/);
    expect(await refused("http://0x7f.1/")).toMatch(/loopback/);
    expect(await refused("http://[::ffff:169.254.169.254]/")).toMatch(/private/);
    expect(await refused("http://localhost/")).toMatch(/loopback/);
    expect(await refused("http://app.localhost/")).toMatch(/loopback/);
    // No name was looked up for any of them.
    expect(resolve.asked).toEqual([]);
  });

  it("refuses other schemes, credentials, other ports and other sites; allows the feed's site and opted-in hosts", async () => {
    expect(await refused("file:///etc/passwd")).toMatch(/not http or https/);
    expect(await refused("ftp://www.example.com/x")).toMatch(/not http or https/);
    expect(await refused("https://user:pw@www.example.com/x")).toMatch(/credentials/);
    expect(await refused("https://www.example.com:8443/x")).toMatch(/port 8443/);
    expect(await refused("http://www.example.com:443/x")).toMatch(/port 443/);
    expect(await refused("https://elsewhere.test/x")).toMatch(/not the feed's own site/);
    expect((await checkPageUrl("https://www.example.com/a", policy, resolve)).ok).toBe(true);
    expect((await checkPageUrl("https://www.example.com:443/a", policy, resolve)).ok).toBe(true);
    expect((await checkPageUrl("https://cdn.example.com/a", policy, resolve)).ok).toBe(true);
    const other = resolver({ "elsewhere.test": ["93.184.215.14"] });
    expect((await checkPageUrl("https://elsewhere.test/x", publicPolicy(policy.feedUrl, ["elsewhere.test"]), other)).ok).toBe(true);
    expect((await checkPageUrl("https://elsewhere.test/x", publicPolicy(policy.feedUrl, ["*"]), other)).ok).toBe(true);
  });

  it("refuses a name that resolves to a special address, or to nothing", async () => {
    const rebinding = resolver({ "evil.example.com": ["93.184.215.14", "10.1.2.3"], "meta.example.com": ["::ffff:169.254.169.254"] });
    expect((await checkPageUrl("https://evil.example.com/", policy, rebinding)).ok).toBe(false);
    expect((await checkPageUrl("https://meta.example.com/", policy, rebinding)).ok).toBe(false);
    expect(await refused("https://gone.example.com/")).toMatch(/could not be resolved/);
  });

  it("allows loopback, on any port, only while PUBLIC_BASE_URL is loopback; private ranges never", async () => {
    const local: PagePolicy = { feedUrl: "http://127.0.0.1:9000/feed.xml", allowLoopback: true, extraHosts: [] };
    expect((await checkPageUrl("http://127.0.0.1:9000/pages/a.html", local, resolve)).ok).toBe(true);
    expect(await refused("http://127.0.0.1:9000/pages/a.html", { ...local, allowLoopback: false })).toMatch(/loopback/);
    expect(await refused("http://10.0.0.1/", { ...local, extraHosts: ["*"] })).toMatch(/private/);
  });
});

describe("the page fetch", () => {
  const resolve = resolver({ "www.example.com": ["93.184.215.14"], "news.example.com": ["93.184.215.15"] });
  const policy = publicPolicy("https://news.example.com/feed.xml");
  const opts = (fetcher: typeof fetch) => ({ timeoutMs: 2000, maxBytes: 100_000, policy, resolve, fetcher });

  it("refuses 10.0.0.1, 169.254.169.254 and [::1] before any connection is attempted", async () => {
    const { calls, fetcher } = recorder();
    for (const url of ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]:8787/dev/mailbox"]) {
      await expect(fetchPage(url, { ...opts(fetcher), policy: publicPolicy(url, ["*"]) })).rejects.toBeInstanceOf(PageRefused);
    }
    expect(calls).toEqual([]);
  });

  it("follows redirects by hand, checking each hop, at most three", async () => {
    const { calls, fetcher } = recorder({
      "https://www.example.com/a": () => redirect("/b"),
      "https://www.example.com/b": () => redirect("http://169.254.169.254/latest/meta-data/"),
    });
    await expect(fetchPage("https://www.example.com/a", opts(fetcher))).rejects.toThrow(/169\.254\.169\.254.*refused/);
    // The metadata address was never requested; every request was made with manual redirects.
    expect(calls.map((c) => c.url)).toEqual(["https://www.example.com/a", "https://www.example.com/b"]);
    expect(calls.every((c) => c.redirect === "manual")).toBe(true);

    const loop = recorder({
      "https://www.example.com/1": () => redirect("/2"),
      "https://www.example.com/2": () => redirect("/3"),
      "https://www.example.com/3": () => redirect("/4"),
      "https://www.example.com/4": () => redirect("/5"),
      "https://www.example.com/5": () => html(),
    });
    await expect(fetchPage("https://www.example.com/1", opts(loop.fetcher))).rejects.toThrow(/more than 3 redirects/);
    expect(loop.calls).toHaveLength(MAX_PAGE_REDIRECTS + 1);

    const ok = recorder({
      "https://www.example.com/x": () => redirect("https://news.example.com/y"),
      "https://news.example.com/y": () => html("<p>y</p>"),
    });
    expect(await fetchPage("https://www.example.com/x", opts(ok.fetcher))).toBe("<p>y</p>");
  });

  it("reads only HTML and XHTML", async () => {
    const { fetcher } = recorder({
      "https://www.example.com/img": () => new Response("GIF89a", { headers: { "content-type": "image/gif" } }),
      "https://www.example.com/json": () => new Response("{}", { headers: { "content-type": "application/json" } }),
      "https://www.example.com/none": () => new Response("?"),
      "https://www.example.com/x": () => new Response("<p>x</p>", { headers: { "content-type": "application/xhtml+xml" } }),
    });
    await expect(fetchPage("https://www.example.com/img", opts(fetcher))).rejects.toThrow(/image\/gif is not an HTML page/);
    await expect(fetchPage("https://www.example.com/json", opts(fetcher))).rejects.toThrow(/not an HTML page/);
    await expect(fetchPage("https://www.example.com/none", opts(fetcher))).rejects.toBeInstanceOf(PageRefused);
    expect(await fetchPage("https://www.example.com/x", opts(fetcher))).toBe("<p>x</p>");
  });
});

describe("ingest under the policy", () => {
  const excerptFeed = (links: string[]) =>
    `<?xml version="1.0"?><rss version="2.0"><channel><title>Self</title>${links
      .map(
        (link, k) =>
          `<item><guid>self-${k}-${crypto.randomUUID()}</guid><link>${link}</link><title>Teaser ${k}</title>` +
          `<pubDate>Mon, 23 Nov 2026 05:00:00 GMT</pubDate><description>A teaser of the Worker's own page ${k}.</description></item>`,
      )
      .join("")}</channel></rss>`;

  it("with a public PUBLIC_BASE_URL, never fetches a feed item's link to the Worker's own /dev/mailbox on 127.0.0.1", async () => {
    // The feed is served by the stand-in at the Worker's own loopback origin, as `wrangler dev` would.
    const feedUrl = "http://127.0.0.1:8787/self-feed.xml";
    const mailbox = "http://127.0.0.1:8787/dev/mailbox";
    const { calls, fetcher } = recorder({
      [feedUrl]: () => new Response(excerptFeed([mailbox]), { headers: { "content-type": "application/rss+xml" } }),
      [mailbox]: () => html("<p>confirmation links of every reader</p>"),
    });
    const deps = makeDeps({ ...env, PUBLIC_BASE_URL: "https://digest.example.com", FEED_URLS: feedUrl, FULL_TEXT_PER_RUN: "5" } as Env);
    const report = await ingestSources(deps, new Date("2026-11-23T07:00:00Z"), { fetcher, resolve: resolver({}) });
    expect(report.sources[0]).toMatchObject({ status: "fetched", newItems: 1 });
    // Only the feed itself was requested.
    expect(calls.map((c) => c.url)).toEqual([feedUrl]);
    // The item keeps its excerpt, and the refusal is on the source's row.
    const item = await env.DB.prepare("SELECT text FROM items WHERE source_url = ?").bind(feedUrl).first<{ text: string }>();
    expect(item!.text).toBe("A teaser of the Worker's own page 0.");
    const [row] = await getSources(env.DB, [feedUrl]);
    expect(row!.lastWarnings.join("\n")).toMatch(/dev\/mailbox: full text not fetched \(.*refused, 127\.0\.0\.1 is a loopback address/);
  });

  it("refuses the test's own loopback fixture pages when PUBLIC_BASE_URL is public, and fetches them when it is loopback", async () => {
    const feed = `${env.TEST_FIXTURES_URL}/excerpts/policy.xml?n=2`;
    const publicDeps = makeDeps({ ...env, PUBLIC_BASE_URL: "https://digest.example.com", FEED_URLS: feed, FULL_TEXT_PER_RUN: "2" } as Env);
    await ingestSources(publicDeps, new Date("2026-11-23T07:00:00Z"), { resolve: resolver({}) });
    const texts = async () =>
      (await env.DB.prepare("SELECT text FROM items WHERE source_url = ? ORDER BY guid").bind(feed).all<{ text: string }>()).results.map(
        (r) => r.text,
      );
    expect(await texts()).toEqual(["Short teaser 0.", "Short teaser 1."]);
    const [row] = await getSources(env.DB, [feed]);
    expect(row!.lastWarnings.filter((w) => /refused, 127\.0\.0\.1 is a loopback address/.test(w))).toHaveLength(2);

    // The same feed under a loopback PUBLIC_BASE_URL (wrangler dev) gets its pages.
    const other = `${env.TEST_FIXTURES_URL}/excerpts/policy-local.xml?n=1`;
    await ingestSources(makeDeps({ ...env, FEED_URLS: other, FULL_TEXT_PER_RUN: "2" }), new Date("2026-11-23T07:00:00Z"));
    const local = await env.DB.prepare("SELECT text FROM items WHERE source_url = ?").bind(other).first<{ text: string }>();
    expect(local!.text).toContain("ferry timetable adds crossings");
  });
});
