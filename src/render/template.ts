// Fills the compiled templates: the part of Mustache they use ({{name}}, {{.}}, sections
// {{#name}}...{{/name}} and inverted sections {{^name}}...{{/name}}, comments; scripts/build.mjs
// refuses the unescaped and delimiter forms, and partials are inlined by MJML), with Mustache's rules: a value is looked up in the innermost context that
// has it, a section repeats over a list, enters an object or other value, and renders once for
// `true`; a line that holds only section tags and blanks leaves no trace. Every value is
// HTML-escaped. test/node/template.test.ts holds the output to mustache.js's, byte for byte.
import { escapeHtml } from "./format";

type Token =
  | { kind: "text"; text: string }
  | { kind: "name"; name: string }
  | { kind: "section"; name: string; inverted: boolean; body: Token[] };

/** A tag inside a template: its sigil ("" for a value, "#", "^" or "/") and name. */
const TAG = /\{\{\s*([#^/!>]?)\s*([^}]*?)\s*\}\}/g;

/**
 * The template's tokens. Text is split at newlines first, so that a line holding only section
 * tags and whitespace can be dropped whole, newline included (Mustache's standalone lines).
 */
function parse(template: string): Token[] {
  const root: Token[] = [];
  const stack: Array<{ name: string; body: Token[] }> = [];
  let body = root;
  // One line's pieces, kept until its end decides whether its blanks stay.
  let line: Array<{ text: string } | { tag: string; name: string }> = [];
  const flush = (end: string) => {
    const standalone = line.some((p) => "tag" in p) && line.every((p) => ("tag" in p ? p.tag !== "" : !/\S/.test(p.text)));
    for (const piece of line) {
      if ("text" in piece) {
        if (!standalone && piece.text) body.push({ kind: "text", text: piece.text });
      } else if (piece.tag === "#" || piece.tag === "^") {
        const section: Token = { kind: "section", name: piece.name, inverted: piece.tag === "^", body: [] };
        body.push(section);
        stack.push({ name: piece.name, body });
        body = section.body;
      } else if (piece.tag === "/") {
        const open = stack.pop();
        if (open?.name !== piece.name) throw new Error(`Unopened or unclosed section "${piece.name}"`);
        body = open.body;
      } else if (piece.tag === "") body.push({ kind: "name", name: piece.name });
    }
    if (!standalone && end) body.push({ kind: "text", text: end });
    line = [];
  };
  let at = 0;
  const text = (s: string) => {
    const lines = s.split("\n");
    for (let i = 0; i < lines.length; i++) {
      line.push({ text: lines[i]! });
      if (i < lines.length - 1) flush("\n");
    }
  };
  for (const m of template.matchAll(TAG)) {
    text(template.slice(at, m.index));
    line.push({ tag: m[1]!, name: m[2]! });
    at = m.index + m[0].length;
  }
  text(template.slice(at));
  flush("");
  if (stack.length > 0) throw new Error(`Unclosed section "${stack[stack.length - 1]!.name}"`);
  return root;
}

/** The value of `name` in the innermost object context that has it ("." is the context itself). */
function lookup(contexts: unknown[], name: string): unknown {
  if (name === ".") return contexts[contexts.length - 1];
  for (let i = contexts.length - 1; i >= 0; i--) {
    const view = contexts[i];
    if (view !== null && typeof view === "object" && name in view) return (view as Record<string, unknown>)[name];
  }
  return undefined;
}

function render(tokens: Token[], contexts: unknown[], out: string[]): void {
  for (const t of tokens) {
    if (t.kind === "text") out.push(t.text);
    else if (t.kind === "name") {
      const value = lookup(contexts, t.name);
      if (value != null) out.push(escapeHtml(value));
    } else {
      const value = lookup(contexts, t.name);
      const empty = !value || (Array.isArray(value) && value.length === 0);
      if (t.inverted) {
        if (empty) render(t.body, contexts, out);
      } else if (Array.isArray(value)) {
        for (const item of value) render(t.body, [...contexts, item], out);
      } else if (value === true) render(t.body, contexts, out);
      else if (value) render(t.body, [...contexts, value], out);
    }
  }
}

const parsed = new Map<string, Token[]>();

/**
 * The template filled from `view`, every value HTML-escaped.
 * @example fillTemplate("<p>{{#items}}{{name}} {{/items}}</p>", { items: [{ name: "a&b" }] }) // "<p>a&amp;b </p>"
 */
export function fillTemplate(template: string, view: unknown): string {
  let tokens = parsed.get(template);
  if (!tokens) {
    tokens = parse(template);
    parsed.set(template, tokens);
  }
  const out: string[] = [];
  render(tokens, [view], out);
  return out.join("");
}
