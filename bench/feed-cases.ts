// Feed documents for the parse-cost bench (bench/feeds.bench.ts): an ordinary feed and worst-case
// constructions, each built to about `bytes` (default just under the 2 MB fetch cap). Generated, so
// nothing large is kept in the repository.

const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function fill(head: string, tail: string, bytes: number, unit: (k: number) => string): string {
  const parts = [head];
  let size = head.length + tail.length;
  for (let k = 0; ; k++) {
    const u = unit(k);
    if (size + u.length > bytes) break;
    parts.push(u);
    size += u.length;
  }
  parts.push(tail);
  return parts.join("");
}

const RSS_HEAD =
  '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Bench</title><link>https://bench.example/</link>';
const RSS_TAIL = "</channel></rss>";
const PROSE =
  "The harbour bridge will close for six weeks from March while engineers replace worn expansion joints, the city's transport department said. ";

/** Worst-case feeds by name, each about `bytes` long. */
export function feedCases(bytes = 2 * 1024 * 1024 - 4096): Record<string, string> {
  return {
    // 200 items of about 10 KB: escaped HTML paragraphs, the common shape.
    ordinary: fill(RSS_HEAD, RSS_TAIL, bytes, (k) => {
      const body = esc(`<p>${PROSE.repeat(12)}</p><p>${PROSE.repeat(12)}</p><p><a href="https://x.example/${k}">more</a></p>`);
      return `<item><title>Item ${k}: bridge closes</title><link>https://bench.example/${k}</link><guid>https://bench.example/${k}</guid><pubDate>Mon, 23 Nov 2026 05:00:00 GMT</pubDate><dc:creator>Desk ${k % 7}</dc:creator><description>${body}</description></item>`;
    }),
    // Text made of entity references, XML-level and HTML-level (escaped twice).
    "entity-dense": fill(RSS_HEAD, RSS_TAIL, bytes, (k) => {
      const unit = "&amp;lt;b&amp;gt;&#x41;&#66;&#233;&amp;amp;&lt;i&gt;&quot;&apos;&amp;hellip;";
      const ents = unit.repeat(40);
      return `<item><title>E ${k} ${unit.repeat(5)}</title><guid>e${k}</guid><description>${ents}</description></item>`;
    }),
    // HTML bodies that are nothing but tags (CDATA), and the same escaped.
    "markup-dense": fill(RSS_HEAD, RSS_TAIL, bytes, (k) => {
      const html = '<b><i class="c">x</i></b><br/><span>y</span>'.repeat(100);
      return k % 2
        ? `<item><title>M ${k}</title><guid>m${k}</guid><description><![CDATA[${html}]]></description></item>`
        : `<item><title>M ${k}</title><guid>m${k}</guid><description>${esc(html)}</description></item>`;
    }),
    // Elements nested as deep as the parser allows (its depth limit is 64; deeper is refused).
    "deep-nesting": fill(RSS_HEAD, RSS_TAIL, bytes, (k) => {
      const depth = 58;
      return `<item><title>D ${k}</title><guid>d${k}</guid>${"<x:n xmlns:x='urn:x'>".repeat(depth)}t${"</x:n>".repeat(depth)}</item>`;
    }),
    // One element per item carrying hundreds of attributes (and namespace declarations).
    "many-attributes": fill(RSS_HEAD, RSS_TAIL, bytes, (k) => {
      const attrs = Array.from({ length: 200 }, (_, i) => `a${i}="v${i}"`).join(" ");
      return `<item><title>A ${k}</title><guid ${attrs} xmlns:p${k % 9}="urn:p">a${k}</guid></item>`;
    }),
    // Tens of thousands of tiny items.
    "tiny-items": fill(RSS_HEAD, RSS_TAIL, bytes, (k) => `<item><title>t${k}</title><guid>${k}</guid></item>`),
    // Unclosed "<" and "&" in HTML bodies (escaped): the HTML reader must not rescan.
    "stray-brackets": fill(
      RSS_HEAD,
      RSS_TAIL,
      bytes,
      (k) => `<item><title>S ${k}</title><guid>s${k}</guid><description>${"&lt;a &lt;b &amp; c ".repeat(300)}</description></item>`,
    ),
  };
}

/** A billion-laughs document: its entities must never be expanded, nor become text. */
export const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Laughs</title><item><title>&lol9;</title><guid>&lol9;</guid><description>Body &lol9; text.</description></item></channel></rss>`;
