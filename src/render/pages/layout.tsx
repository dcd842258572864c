// The site's page shell (hono/jsx, server-rendered, no client script). Every page uses it.
import type { Child } from "hono/jsx";

export interface LayoutProps {
  title: string;
  siteTitle: string;
  children?: Child;
}

const css = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#57606a;--bg:#fbfaf7;--card:#fff;--accent:#0b5cad;--border:#d8d4cc}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9da7b3;--bg:#0d1117;--card:#161b22;--accent:#58a6ff;--border:#30363d}}
*{box-sizing:border-box}body{margin:0;font:17px/1.6 Georgia,'Times New Roman',serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:44rem;margin:0 auto;padding:1rem 1.25rem}header a{color:inherit;text-decoration:none;font-weight:bold;font-size:1.3rem}
a{color:var(--accent)}h1{line-height:1.2}form{display:flex;flex-wrap:wrap;gap:.5rem}input[type=email]{flex:1 1 14rem;min-width:0;padding:.6rem;font:inherit;border:1px solid var(--border);border-radius:6px;background:var(--card);color:var(--fg)}
button{padding:.6rem 1.1rem;font:inherit;border:0;border-radius:6px;background:var(--accent);color:#fff;cursor:pointer}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}.muted{color:var(--muted)}.error{color:#cf222e}
footer{color:var(--muted);font-size:.9rem}`;

export function Layout({ title, siteTitle, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title === siteTitle ? title : `${title} · ${siteTitle}`}</title>
        <style>{css}</style>
      </head>
      <body>
        <header>
          <a href="/">{siteTitle}</a>
        </header>
        <main>{children}</main>
        <footer>
          <a href="/editions">Archive</a> · <a href="/feed.xml">Feed</a>
        </footer>
      </body>
    </html>
  );
}
