// `npm run digest` as a user runs it: a real process, the document on stdout, errors on stderr.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = join(root, "node_modules", ".bin", "tsx");

function digest(...args: string[]) {
  const r = spawnSync(tsx, ["src/cli.ts", ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface DigestJson {
  title: string;
  date: string;
  stories: {
    id: string;
    headline: string;
    summary: string[];
    sources: { id: string; title?: string; url?: string; publisher?: string }[];
  }[];
}

describe("npm run digest", () => {
  it("prints the seeds' digest as JSON in the documented shape, and nothing else on stdout", () => {
    const r = digest("--format", "json", "--date", "2026-11-23");
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as DigestJson;
    expect(Object.keys(d).sort()).toEqual(["date", "stories", "title"]);
    expect(d.date).toBe("2026-11-23");
    for (const s of d.stories) {
      expect(Object.keys(s).sort()).toEqual(["headline", "id", "sources", "summary", "update"]);
      expect(s.summary.every((x) => typeof x === "string" && x.length > 0)).toBe(true);
      for (const src of s.sources)
        expect(Object.keys(src).every((k) => ["id", "title", "url", "publisher", "publishedAt"].includes(k))).toBe(true);
    }
    expect(d.stories.flatMap((s) => s.sources.map((x) => x.id)).sort()).toEqual(["000_b1cf72ef45b43b21.txt", "004_18b38c35d2686478.txt"]);
  });

  it("is deterministic", () => {
    expect(digest("--format", "json", "--date", "2026-11-23").stdout).toBe(digest("--format", "json", "--date", "2026-11-23").stdout);
  });

  it("renders HTML by default and text on request", () => {
    const html = digest();
    expect(html.code).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>/i);
    const text = digest("--format", "text");
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(/<[a-z]/i);
    expect(text.stdout).toMatch(/Blinken/);
  });

  it("reads JSONL with title, url and publisher and keeps them on the sources", () => {
    const dir = mkdtempSync(join(tmpdir(), "digest-cli-"));
    const file = join(dir, "in.jsonl");
    const body =
      "The city council approved a new budget on Tuesday. The budget raises spending on parks by 12 percent. " +
      "Council members voted 7 to 2 in favour.";
    writeFileSync(
      file,
      JSON.stringify({
        id: "x1",
        text: body,
        title: "Council approves budget",
        url: "https://news.example/x1",
        publisher: "Example News",
      }) + "\n",
    );
    const r = digest("--input", file, "--format", "json");
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as DigestJson;
    expect(d.stories[0]!.sources[0]).toMatchObject({
      id: "x1",
      title: "Council approves budget",
      url: "https://news.example/x1",
      publisher: "Example News",
    });
  });

  it("skips a JSONL line that is not JSON with a warning naming the file and line, and digests the rest", () => {
    const dir = mkdtempSync(join(tmpdir(), "digest-mixed-"));
    const file = join(dir, "mixed.jsonl");
    const good = { id: "ok1", text: "The harbour bridge will close for six weeks from March. Buses will be diverted over Mill Street." };
    writeFileSync(file, `${JSON.stringify(good)}\n{not json}\n${JSON.stringify({ id: "no-text" })}\n`);
    const r = digest("--input", file, "--format", "json");
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: mixed\.jsonl:2: not valid JSON/);
    expect(r.stderr).toMatch(/warning: mixed\.jsonl:3: .*skipped/);
    const d = JSON.parse(r.stdout) as DigestJson;
    expect(d.stories.flatMap((s) => s.sources.map((x) => x.id))).toEqual(["ok1"]);
  });

  it("fails with a one-line message on a missing path, an empty folder, bad JSONL or a bad option", () => {
    const empty = mkdtempSync(join(tmpdir(), "digest-empty-"));
    const bad = join(empty, "bad.jsonl");
    writeFileSync(bad, "{not json}\n");
    for (const args of [
      ["--input", "/no/such/path"],
      ["--input", empty],
      ["--input", bad],
      ["--format", "pdf"],
      ["--max-sentences", "zero"],
    ]) {
      const r = digest(...args);
      expect(r.code, args.join(" ")).not.toBe(0);
      expect(r.stdout).toBe("");
      const lines = r.stderr
        .trim()
        .split("\n")
        .filter((l) => !l.includes("npm warn") && !l.includes("digest: warning:"));
      expect(lines, args.join(" ")).toHaveLength(1);
      expect(lines[0]).toMatch(/^digest: /);
    }
  });
});
