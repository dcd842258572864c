// Foundation figures: the Worker bundle (raw and gzip), its startup time in workerd, and the CPU
// time of one digest build plus render of the bundled seeds.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { buildDigest } from "../src/digest";
import { renderEmail } from "../src/render/email";
import { SEED_ARTICLES } from "../src/generated/seeds";
import { fmt, median, timeRuns } from "./stats";

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

function wrangler(args: string[]): string {
  return execFileSync("wrangler", args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", FORCE_COLOR: "0" },
  });
}

export default async function bench(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), "nd-bundle-"));
  wrangler(["deploy", "--dry-run", "--outdir", out]);
  const js = readdirSync(out).find((f) => f.endsWith(".js"))!;
  const bundle = readFileSync(join(out, js));
  console.log(`bundle (wrangler deploy --dry-run): ${kib(bundle.length)} raw, ${kib(gzipSync(bundle, { level: 9 }).length)} gzip`);

  const startup = wrangler(["check", "startup", "--outfile", join(out, "startup.cpuprofile")]);
  const active = /Active:\s*([\d.]+)\s*ms/.exec(startup)?.[1];
  const window = /Profile window:\s*([\d.]+)\s*ms/.exec(startup)?.[1];
  console.log(`startup (wrangler check startup, local workerd): ${active ?? "?"} ms active CPU in a ${window ?? "?"} ms window`);

  const date = "2026-11-23";
  const times = timeRuns(
    () => {
      const { digest } = buildDigest(SEED_ARTICLES, { date });
      return renderEmail(digest, { webUrl: "https://example.com/editions/x" });
    },
    { runs: 300, warmup: 30 },
  );
  console.log(`seeds digest build + render (${SEED_ARTICLES.length} articles, median of ${times.length}): ${fmt(median(times))}`);
}
