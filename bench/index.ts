// `npm run bench`: runs every bench/*.bench.ts in turn and prints their figures. Each module
// default-exports an async function that prints labelled lines; timing lives here, never in tests.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// Local runs only: no telemetry, no Request.cf download (wrangler dev / unstable_startWorker
// in the benches read these from the environment).
process.env.WRANGLER_SEND_METRICS = "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";

const here = dirname(fileURLToPath(import.meta.url));
// Foundation figures first (bundle, startup), then the pipeline in flow order.
const order = ["foundation", "feeds", "digest", "render", "subscribe", "delivery"];
const rank = (f: string) => {
  const i = order.indexOf(f.replace(/\.bench\.ts$/, ""));
  return i === -1 ? order.length : i;
};
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

for (const file of files) {
  console.log(`\n## ${file.replace(/\.bench\.ts$/, "")}`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: () => Promise<void> };
  const started = performance.now();
  await mod.default();
  console.log(`(${file} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
