// The import graph of src/ collapsed to its top-level folders and files (each one node: "delivery",
// "config", ...) has no cycle, so imports between folders run one way (DESIGN.md, "Layout").
// Biome's noImportCycles checks files; a folder cycle can hide among files without one. Imports
// are read by a linear scan of each file (comments, strings, templates and regex literals skipped),
// type-only imports included.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src", import.meta.url));

/**
 * The module specifiers a TypeScript file imports or re-exports from (static, side-effect and
 * `import("...")` with a literal), in one pass over the text.
 */
function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  // The last two significant tokens: what a string literal follows decides whether it names a module.
  let prev = "";
  let prev2 = "";
  const push = (token: string) => {
    prev2 = prev;
    prev = token;
  };
  const templates: number[] = []; // brace depth at each open `${`
  let depth = 0;
  let i = 0;
  const n = text.length;
  const readString = (quote: string): string => {
    let value = "";
    for (i++; i < n && text[i] !== quote; i++) {
      if (text[i] === "\\") i++;
      else if (text[i] === "\n") break;
      else value += text[i];
    }
    i++;
    return value;
  };
  /** Skips a template's text from i (just past "`" or "}") to its end or its next `${`. */
  const skipTemplate = () => {
    for (; i < n; i++) {
      if (text[i] === "\\") i++;
      else if (text[i] === "`") {
        i++;
        return;
      } else if (text[i] === "$" && text[i + 1] === "{") {
        templates.push(depth);
        depth++;
        i += 2;
        return;
      }
    }
  };
  while (i < n) {
    const c = text[i]!;
    if (c === "/" && text[i + 1] === "/") {
      while (i < n && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'") {
      const value = readString(c);
      if (prev === "from" || (prev === "import" && prev2 !== ".") || (prev === "(" && prev2 === "import")) out.push(value);
      push("string");
    } else if (c === "`") {
      i++;
      skipTemplate();
      push("template");
    } else if (c === "/" && (prev === "" || /^[(,=:[!&|?{};+\-*%<>~^]$/.test(prev) || prev === "return")) {
      // A regex literal: skip to its closing slash (classes may hold one), then its flags.
      let inClass = false;
      for (i++; i < n && text[i] !== "\n"; i++) {
        if (text[i] === "\\") i++;
        else if (text[i] === "[") inClass = true;
        else if (text[i] === "]") inClass = false;
        else if (text[i] === "/" && !inClass) break;
      }
      i++;
      while (i < n && /[a-z]/i.test(text[i]!)) i++;
      push("regex");
    } else if (/[A-Za-z_$]/.test(c)) {
      let word = "";
      while (i < n && /[\w$]/.test(text[i]!)) word += text[i++];
      push(word);
    } else if (/\s/.test(c)) {
      i++;
    } else {
      if (c === "{") depth++;
      else if (c === "}") {
        depth--;
        if (templates.length > 0 && templates[templates.length - 1] === depth) {
          templates.pop();
          i++;
          skipTemplate();
          push("template");
          continue;
        }
      }
      i++;
      push(c);
    }
  }
  return out;
}

/** Every .ts/.tsx file under `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The top-level entry of src/ a path belongs to: its folder, or the file's name without extension. */
const topLevel = (path: string) =>
  relative(SRC, path)
    .split("/")[0]!
    .replace(/\.tsx?$/, "");

/** Arrows between top-level entries, each with the file imports that draw it. */
function folderGraph(files: Array<{ path: string; text: string }>): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  for (const { path, text } of files) {
    const from = topLevel(path);
    for (const spec of importSpecifiers(text)) {
      if (!spec.startsWith(".")) continue;
      const target = resolve(dirname(path), spec);
      if (!target.startsWith(SRC + "/")) continue;
      const to = topLevel(target);
      if (to === from) continue;
      const arrows = graph.get(from) ?? new Map<string, string[]>();
      graph.set(from, arrows);
      arrows.set(to, [...(arrows.get(to) ?? []), `${relative(SRC, path)} -> ${spec}`]);
    }
  }
  return graph;
}

/** The cycles of a graph: its strongly connected components of more than one node (Tarjan). */
function cycles(graph: Map<string, Map<string, string[]>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) component.push(w);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const files = sourceFiles(SRC).map((path) => ({ path, text: readFileSync(path, "utf8") }));
const graph = folderGraph(files);
const importers = (node: string) => [...graph].filter(([, arrows]) => arrows.has(node)).map(([from]) => from);

describe("the folder graph of src/", () => {
  it("has no cycle: no folder imports one that imports it back, directly or round a circle", () => {
    const found = cycles(graph).map((cycle) =>
      cycle.flatMap((a) => cycle.filter((b) => graph.get(a)?.has(b)).map((b) => `${a} -> ${b} (${graph.get(a)!.get(b)![0]})`)).join("; "),
    );
    expect(found, `folder cycles: ${found.join("\n")}`).toEqual([]);
    // The scan found the arrows it must: the entry wires the app and the jobs.
    expect([...(graph.get("index")?.keys() ?? [])].sort()).toEqual(["app", "jobs"]);
  });

  it("imports the composition root only from the entry points", () => {
    expect(importers("deps").sort()).toEqual(["app", "jobs"]);
  });

  it("keeps config a leaf: it imports only files that import nothing of src/", () => {
    const imported = [...(graph.get("config")?.keys() ?? [])];
    expect(imported.filter((node) => graph.has(node))).toEqual([]);
  });
});

describe("the import scan and the cycle check", () => {
  it("reads static, type-only, side-effect, re-export and dynamic imports, and nothing in comments, strings or regexes", () => {
    const text = [
      'import { a } from "./a";',
      "import type { B } from '../b';",
      'import "./side";',
      'export { c } from "./c";',
      "export * as d from './d';",
      'const e = await import("./e");',
      '// import { x } from "./not-a";',
      '/* export { y } from "./not-b"; */',
      "const s = 'from \"./not-c\"';",
      // A template whose placeholder holds another template.
      "const t = `$" + '{`import("./not-d")`} from "./not-e"`;',
      'const r = /from "[./]not-f"/g;',
      'const q = a / 2; import { f } from "./f";',
      'const o = { from: "./not-g" };',
    ].join("\n");
    expect(importSpecifiers(text)).toEqual(["./a", "../b", "./side", "./c", "./d", "./e", "./f"]);
  });

  it("finds a cycle round three folders, and none in a chain", () => {
    const arrows = (...edges: Array<[string, string]>) => {
      const g = new Map<string, Map<string, string[]>>();
      for (const [a, b] of edges) g.set(a, new Map([...(g.get(a) ?? []), [b, [`${a}/x.ts -> ../${b}/y`]]]));
      return g;
    };
    expect(cycles(arrows(["editions", "delivery"], ["delivery", "subscriptions"], ["subscriptions", "editions"]))).toEqual([
      ["delivery", "editions", "subscriptions"],
    ]);
    expect(cycles(arrows(["jobs", "delivery"], ["delivery", "editions"], ["jobs", "editions"]))).toEqual([]);
  });
});
