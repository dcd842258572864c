// A real local HTTP server serving test/fixtures/ as the outside web (feeds), since tests run
// offline. Special paths: /status/NNN answers that status; /slow/MS answers after MS ms;
// /huge/BYTES.xml a valid RSS feed of about BYTES bytes; /pathological.xml a feed whose one item
// is a single 300 KB paragraph; /pages/NAME.html an article page (full-text fetches);
// /duc/NS/PUBLISHER.xml, /eval/K.xml and /gva/NS/{a,b}.xml feeds built from ../shared/eval, /news/K.xml
// from generated articles (see duc-feeds.ts). The server never throws: what it cannot answer is a 404 or a 500.
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { ducFeeds } from "./duc-feeds";

const root = fileURLToPath(new URL("../fixtures/", import.meta.url));
const types: Record<string, string> = {
  ".xml": "application/xml",
  ".json": "application/feed+json",
  ".html": "text/html; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

let current: { port: number } | undefined;

export async function startFixtureServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    serve(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`fixture server: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  current = { port: (server.address() as AddressInfo).port };
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = decodeURIComponent((req.url ?? "/").split("?")[0]!);
  const status = /^\/status\/(\d{3})$/.exec(path);
  if (status) {
    res.writeHead(Number(status[1]), { "content-type": "text/plain" });
    return void res.end(`status ${status[1]}`);
  }
  const slow = /^\/slow\/(\d+)$/.exec(path);
  if (slow) return void setTimeout(() => res.end("late"), Number(slow[1]));
  const huge = /^\/huge\/(\d+)\.xml$/.exec(path);
  if (huge) return void sendHuge(res, Number(huge[1]));
  if (path === "/pathological.xml") return void res.end(pathologicalFeed());
  const excerpts = /^\/excerpts\/([a-z0-9-]+)\.xml$/.exec(path);
  if (excerpts) return void res.end(excerptFeed(excerpts[1]!, Number(new URL(req.url ?? "/", "http://x").searchParams.get("n") ?? "3")));
  const page = /^\/pages\/([a-z0-9-]+)\.html$/.exec(path);
  if (page) {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    return void res.end(articlePage(page[1]!));
  }
  if (path.startsWith("/duc/") || path.startsWith("/eval/") || path.startsWith("/gva/") || path.startsWith("/news/")) {
    const answer = await ducFeeds.answer(req.method ?? "GET", path, new URL(req.url ?? "/", "http://x").searchParams, req.headers);
    res.writeHead(answer.status, answer.headers);
    return void res.end(answer.body);
  }
  const file = normalize(join(root, path));
  if (!file.startsWith(root)) {
    res.writeHead(403);
    return void res.end();
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  }
}

const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A valid RSS feed of about `bytes` bytes, streamed in chunks (the reader must stop at its cap). */
function sendHuge(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { "content-type": "application/rss+xml" });
  res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Huge Feed</title>');
  const item = (k: number) =>
    `<item><guid>huge-${k}</guid><title>Item ${k}</title><description>${esc(`<p>${"Padding words for a very large feed. ".repeat(50)}</p>`)}</description></item>`;
  let sent = 0;
  let k = 0;
  const pump = () => {
    while (sent < bytes) {
      const chunk = item(k++);
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
    res.end("</channel></rss>");
  };
  pump();
}

/** One item made of a single 300 KB paragraph of sentence-like text with no break. */
function pathologicalFeed(): string {
  const words = "the council said on monday that a plan for the harbour would be reviewed by officials".split(" ");
  let para = "";
  for (let i = 0; para.length < 300_000; i++) para += `${words[i % words.length]}${i % 37 === 36 ? ", " : " "}`;
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Pathological Post</title>
<item><guid>patho-1</guid><title>One endless paragraph</title><pubDate>Mon, 23 Nov 2026 05:00:00 GMT</pubDate>
<description>${esc(`<p>${para}</p>`)}</description></item></channel></rss>`;
}

/** A feed of `n` items that carry only a teaser, each linking to its page under /pages/. */
function excerptFeed(tag: string, n: number): string {
  const base = `http://127.0.0.1:${current?.port ?? 0}`;
  const items = Array.from(
    { length: n },
    (_, k) =>
      `<item><guid>${tag}-${k}</guid><link>${base}/pages/${tag}-${k}.html</link><title>Ferry timetable ${k}</title>` +
      `<pubDate>Mon, 23 Nov 2026 05:00:00 GMT</pubDate><description>Short teaser ${k}.</description></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Ferry News</title>${items.join("")}</channel></rss>`;
}

/** An article page with navigation around the article, for full-text fetches. */
function articlePage(name: string): string {
  const body = Array.from(
    { length: 8 },
    (_, k) =>
      `<p>Paragraph ${k + 1} of the full ${name} report: the regional council confirmed on Monday that the new ferry ` +
      `timetable adds crossings every hour, and officials said the cost would be shared with the port authority.</p>`,
  ).join("");
  return `<!doctype html><html><head><title>${name}</title></head><body><nav>Home | News | Sport</nav>
<article><h1>${name}</h1>${body}</article><footer>Copyright</footer></body></html>`;
}
