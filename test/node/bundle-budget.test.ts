// The Worker's deploy bundle stays within its budget: the dry-run bundle that `wrangler deploy`
// would upload, minified and gzipped at level 9 (what .ci/run prints). On failure the message
// names the largest inputs (esbuild's metafile, grouped by package or source folder), so what
// grew is in the test's output.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";

/** The budget in KiB, gzip -9 (issue 20: at most 130; it was 159 with a MIME library's polyfills). */
const BUDGET_KIB = 130;

const root = fileURLToPath(new URL("../..", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "bundle-budget-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

/** "hono", "@hono/standard-validator", or the source folder ("src/delivery") an input belongs to. */
function owner(input: string): string {
  const inPackage = input.split("node_modules/").at(-1)!;
  if (inPackage !== input)
    return inPackage
      .split("/")
      .slice(0, inPackage.startsWith("@") ? 2 : 1)
      .join("/");
  return input.split("/").slice(0, 2).join("/");
}

/** Bytes each package or source folder puts in the output, largest first. */
function largestInputs(meta: Metafile, outputName: string): Array<[string, number]> {
  const output = Object.entries(meta.outputs).find(([name]) => name.endsWith(outputName))![1];
  const sizes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    sizes.set(owner(input), (sizes.get(owner(input)) ?? 0) + bytesInOutput);
  }
  return [...sizes].sort((a, b) => b[1] - a[1]);
}

describe("the deploy bundle", () => {
  it(`is at most ${BUDGET_KIB} KiB gzip, with no core-js in it`, () => {
    const wrangler = join(root, "node_modules", ".bin", "wrangler");
    execFileSync(wrangler, ["deploy", "--dry-run", "--outdir", out, "--metafile", join(out, "meta.json")], {
      cwd: root,
      stdio: "pipe",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
    });
    const script = readdirSync(out).find((f) => f.endsWith(".js"))!;
    const gzipKib = gzipSync(readFileSync(join(out, script)), { level: 9 }).length / 1024;
    const inputs = largestInputs(JSON.parse(readFileSync(join(out, "meta.json"), "utf8")) as Metafile, script);
    const largest = inputs
      .slice(0, 12)
      .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(1)} KiB`)
      .join(", ");
    expect(inputs.length).toBeGreaterThan(5);
    expect(
      inputs.filter(([name]) => name.startsWith("core-js")).map(([name]) => name),
      "core-js is a polyfill the Worker's runtime never needs",
    ).toEqual([]);
    expect(gzipKib, `bundle ${gzipKib.toFixed(1)} KiB gzip; largest inputs (raw, minified): ${largest}`).toBeLessThanOrEqual(BUDGET_KIB);
  });
});
