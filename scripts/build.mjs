#!/usr/bin/env node
// Build step run by `wrangler dev`/`wrangler deploy` ([build] in wrangler.toml), `npm test` and
// `npm run bench`: compiles templates/*.mjml with strict validation into HTML with Mustache
// placeholders, and bundles seeds/ as data, both into src/generated/. The Worker then needs no
// file system and never runs MJML at request time (MJML costs 4-7 ms a render; see DESIGN.md).
//   node scripts/build.mjs          build
//   node scripts/build.mjs --check  exit 1 if src/generated/ is missing or stale
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import mjml2html from "mjml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const templatesDir = join(root, "templates");
const seedsDir = join(root, "seeds");
const outDir = join(root, "src", "generated");

const SEED_FORMATS = { ".txt": "text", ".md": "markdown", ".html": "html" };

/** Every input that affects the output, so staleness is a hash comparison. */
function inputs() {
  const templates = readdirSync(templatesDir)
    .filter((f) => f.endsWith(".mjml") || f.endsWith(".txt") || f.endsWith(".css"))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(templatesDir, f), "utf8") }));
  const seeds = readdirSync(seedsDir)
    .filter((f) => extname(f) in SEED_FORMATS)
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(seedsDir, f), "utf8") }));
  // What the operator knows of each seed (publisher, date...): see src/sources/manifest.ts.
  const manifestPath = join(seedsDir, "sources.json");
  const manifest = existsSync(manifestPath) ? readFileSync(manifestPath, "utf8") : "{}";
  const script = readFileSync(fileURLToPath(import.meta.url), "utf8");
  const hash = createHash("sha256");
  for (const part of [script, manifest, ...templates.map((t) => t.name + t.text), ...seeds.map((s) => s.name + s.text)]) {
    hash.update(part).update("\0");
  }
  return { templates, seeds, manifest, hash: hash.digest("hex").slice(0, 16) };
}

function readStamp() {
  const file = join(outDir, "stamp.ts");
  if (!existsSync(file)) return undefined;
  return /BUILD_HASH = "([0-9a-f]+)"/.exec(readFileSync(file, "utf8"))?.[1];
}

/**
 * Mustache forms that would put article text into the HTML unescaped ({{{x}}}, {{&x}}) or change
 * the delimiters ({{=...=}}). Templates must use {{x}} only, which HTML-escapes every value.
 */
const UNSAFE_MUSTACHE = /\{\{\s*[{&=]/;

/** Top-level templates are compiled; files starting with "_" are partials (mj-include). */
async function compileTemplates(templates) {
  const compiled = {};
  for (const { name, text } of templates) {
    if (UNSAFE_MUSTACHE.test(text)) throw new Error(`${name}: unescaped or delimiter-changing Mustache tag; use {{name}} only`);
    if (name.startsWith("_")) continue;
    if (name.endsWith(".css")) {
      // Site stylesheet, inlined into every page; its hash goes in the pages' CSP (style-src).
      const key = name.replace(/\.css$/, "").replace(/-([a-z])/g, (_, c) => c.toUpperCase()) + "Css";
      compiled[key] = text;
      compiled[key + "Sha256"] = createHash("sha256").update(text, "utf8").digest("base64");
      continue;
    }
    const key =
      name.replace(/\.(mjml|txt)$/, "").replace(/-([a-z])/g, (_, c) => c.toUpperCase()) + (name.endsWith(".txt") ? "Text" : "Html");
    if (name.endsWith(".txt")) {
      compiled[key] = text;
      continue;
    }
    const result = await mjml2html(text, {
      validationLevel: "strict",
      filePath: join(templatesDir, name),
      // MJML 5 skips <mj-include> unless told otherwise; partials may only come from templates/.
      ignoreIncludes: false,
      includePath: templatesDir,
      minify: false,
      keepComments: false,
    });
    if (result.errors.length > 0) {
      const lines = result.errors.map((e) => `  ${name}:${e.line} ${e.message}`).join("\n");
      throw new Error(`MJML validation failed:\n${lines}`);
    }
    // An MJML tag left in the output means MJML did not process it (e.g. <mj-raw> inside
    // <mj-text>, whose content is raw HTML, or an include that was skipped).
    const leftover = /<\/?mj-[a-z-]+/.exec(result.html);
    if (leftover) throw new Error(`${name}: ${leftover[0]} survived compilation; MJML tags are not allowed there`);
    // MJML silently drops bare text between components: a section tag outside <mj-raw> would vanish.
    const tagsIn = (s) => new Set(s.match(/\{\{[^}]*\}\}/g) ?? []);
    const out = tagsIn(result.html);
    const lost = [...tagsIn(text)].filter((t) => !out.has(t));
    if (lost.length) throw new Error(`${name}: ${lost.join(" ")} lost in compilation; wrap section tags between components in <mj-raw>`);
    compiled[key] = collapseWhitespace(dropUnsupportedResets(result.html));
  }
  return compiled;
}

/**
 * Drops two declarations MJML emits that Outlook and Yahoo do not support and that we do not
 * need (caniemail, checked by test/node/email-css.test.ts): `word-spacing:normal` on the body
 * (a reset for inherited spacing we never set) and `outline:none` on images (we send none).
 */
function dropUnsupportedResets(html) {
  return html.replaceAll("word-spacing:normal;", "").replaceAll(" outline:none;", "");
}

/** Drops indentation between tags: bytes count against Gmail's 102 KB clip. */
function collapseWhitespace(html) {
  return html.replace(/>\s+</g, (m) => (m.includes("\n") ? ">\n<" : m)).replace(/\n\s+/g, "\n");
}

function generated(body, hash) {
  return `// Generated by scripts/build.mjs (build ${hash}). Do not edit: change templates/ or seeds/.\n${body}`;
}

async function build() {
  const { templates, seeds, manifest, hash } = inputs();
  JSON.parse(manifest); // a malformed seeds/sources.json fails the build, not the first request
  const compiled = await compileTemplates(templates);
  mkdirSync(outDir, { recursive: true });
  const templateExports = Object.entries(compiled)
    .map(([k, v]) => `export const ${k} = ${JSON.stringify(v)};`)
    .join("\n");
  writeFileSync(join(outDir, "templates.ts"), generated(templateExports + "\n", hash));
  const seedList = seeds.map((s) => ({ id: s.name, format: SEED_FORMATS[extname(s.name)], body: s.text }));
  writeFileSync(
    join(outDir, "seeds.ts"),
    generated(
      `import type { RawArticle } from "../digest/types";\n\n` +
        `export const SEED_ARTICLES: RawArticle[] = ${JSON.stringify(seedList, null, 1)};\n\n` +
        `/** seeds/sources.json, checked by src/sources/manifest.ts. */\nexport const SEED_MANIFEST = ${JSON.stringify(manifest)};\n`,
      hash,
    ),
  );
  writeFileSync(join(outDir, "stamp.ts"), generated(`export const BUILD_HASH = "${hash}";\n`, hash));
  console.error(`build: ${Object.keys(compiled).length} templates, ${seeds.length} seeds -> src/generated (${hash})`);
}

if (process.argv.includes("--check")) {
  const { hash } = inputs();
  const stamp = readStamp();
  if (stamp !== hash) {
    console.error(`src/generated is stale (built ${stamp ?? "never"}, sources ${hash}): run npm run build`);
    process.exit(1);
  }
  console.error(`src/generated is up to date (${hash})`);
} else {
  build().catch((err) => {
    console.error(`build failed: ${err.message}`);
    process.exit(1);
  });
}
