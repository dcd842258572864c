#!/usr/bin/env node
// `npm start`: writes .dev.vars on first run, applies the D1 migrations locally, runs
// `wrangler dev` (local D1, Queues, mail; no account needed) on PORT (default 8787), waits until it
// answers, builds today's edition if there is none (never sending it), and prints where
// everything is. Every setting in .dev.vars reaches the Worker (scripts/dev-vars.mjs says why that
// takes more than wrangler's own loading), and links point at PORT unless .dev.vars sets
// PUBLIC_BASE_URL.
import { spawn, spawnSync } from "node:child_process";
import { devVarArgs, localBaseUrl, localPort, readDotenv } from "./dev-vars.mjs";

// No telemetry, and no fetch of Request.cf data from the internet (wrangler falls back to a
// placeholder anyway, after a failed lookup, on a machine without the network).
const OFFLINE_ENV = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

/** Runs a set-up step quietly: its output is shown only when it fails. */
function step(what, cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...OFFLINE_ENV }, encoding: "utf8" });
  if (r.error) console.error(`start: could not run ${cmd}: ${r.error.message} (run this through \`npm start\`)`);
  if (r.status !== 0) {
    process.stderr.write(`${r.stdout ?? ""}${r.stderr ?? ""}`);
    console.error(`start: ${what} failed`);
    process.exit(r.status ?? 1);
  }
  return `${r.stdout ?? ""}${r.stderr ?? ""}`;
}

step("writing .dev.vars", "node", ["scripts/prepare-dev.mjs"]);
step("compiling the templates", "node", ["scripts/build.mjs"]);
const migrated = step("applying the D1 migrations", "wrangler", ["d1", "migrations", "apply", "DB", "--local"]);
// wrangler prints the migration table before, during and after applying: count names, not rows.
const applied = new Set(migrated.match(/\b\d{4}_[\w-]+\.sql\b/g) ?? []).size;
console.log(applied ? `start: applied ${applied} D1 migration(s) to the local database` : "start: local D1 database is up to date");

const settings = readDotenv(".dev.vars");
const port = localPort();
const local = localBaseUrl(port);
const publicBase = (settings.PUBLIC_BASE_URL || local).replace(/\/+$/, "");
const dev = spawn(
  "wrangler",
  ["dev", "--test-scheduled", "--port", String(port), ...devVarArgs(settings, port), ...process.argv.slice(2)],
  {
    stdio: ["inherit", "pipe", "inherit"],
    env: { ...process.env, ...OFFLINE_ENV },
    // Its own process group, so stopping `npm start` stops wrangler and both workerd processes.
    detached: true,
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    try {
      process.kill(-dev.pid, signal);
    } catch {
      // already gone
    }
  });
}
dev.on("exit", (code) => process.exit(code ?? 0));
dev.stdout.on("data", onlyOnce());

/**
 * Passes wrangler's output through, but for a bindings table it has printed before: it prints
 * the table when it bundles and again when the local server starts.
 */
function onlyOnce() {
  const tables = new Set();
  let table = null;
  let pending = "";
  return (chunk) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop();
    for (const line of lines) {
      if (table === null && /has access to the following bindings/.test(line)) table = [];
      if (table === null) {
        process.stdout.write(`${line}\n`);
        continue;
      }
      table.push(line);
      if (line.trim() !== "") continue;
      const text = table.join("\n");
      if (!tables.has(text)) process.stdout.write(`${text}\n`);
      tables.add(text);
      table = null;
    }
  };
}

async function ready() {
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(`${local}/healthz`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/**
 * Builds the current slot's edition through the admin API, without sending it: the pages then
 * have something to show, and no subscriber is mailed because the server started.
 */
async function buildWithoutSending() {
  try {
    const res = await fetch(`${local}/admin/editions`, {
      method: "POST",
      headers: { authorization: `Bearer ${settings.ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ send: false }),
    });
    if (!res.ok) return `failed (${res.status}), see the log above`;
    const { edition } = await res.json();
    if (edition.status === "built")
      return edition.created ? `built ${edition.editionId}, not sent` : `${edition.editionId} (already built)`;
    return `nothing new to build (${edition.reason ?? edition.status})`;
  } catch (err) {
    return `failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}

if (await ready()) {
  const built = await buildWithoutSending();
  console.log(`
  newsletter-digest is running on ${local}${publicBase === local ? "" : ` (links point at ${publicBase}, from .dev.vars)`}
    Today's edition            ${built}
    Landing page + subscribe   ${local}/
    Current digest (email)     ${local}/preview   (?format=text, ?format=json)
    Archive / Atom feed        ${local}/editions  ${local}/feed.xml
    Local mailbox              ${local}/dev/mailbox
    Admin console              ${local}/admin     (log in with ADMIN_TOKEN from .dev.vars)
    Admin from the shell       npm run admin -- help
  Nothing is sent by starting: send with \`npm run admin -- build --force --send\`, the console,
  or the schedule (console Settings), checked every 10 minutes: ${local}/__scheduled?cron=*/10+*+*+*+*
  runs that tick by hand (it builds and sends only when the day's edition is due).
  Press Ctrl+C to stop.
`);
}
