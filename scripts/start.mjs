#!/usr/bin/env node
// `npm start`: writes .dev.vars on first run, applies the D1 migrations locally, runs
// `wrangler dev` (local D1, Queues, mail; no account needed), waits until it answers, builds the
// first edition through the cron route, and prints where everything is.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

// No telemetry, and no fetch of Request.cf data from the internet (wrangler falls back to a
// placeholder anyway, after a failed lookup, on a machine without the network).
const OFFLINE_ENV = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

const step = (cmd, args) => {
  // stdin closed: wrangler then takes its non-interactive default ("yes") instead of prompting.
  const r = spawnSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, ...OFFLINE_ENV } });
  if (r.error) console.error(`start: could not run ${cmd}: ${r.error.message} (run this through \`npm start\`)`);
  if (r.status !== 0) process.exit(r.status ?? 1);
};
step("node", ["scripts/prepare-dev.mjs"]);
step("wrangler", ["d1", "migrations", "apply", "DB", "--local"]);

const port = Number(process.env.PORT ?? 8787);
const base = `http://localhost:${port}`;
const dev = spawn("wrangler", ["dev", "--test-scheduled", "--port", String(port), ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, ...OFFLINE_ENV },
  // Its own process group, so stopping `npm start` stops wrangler and both workerd processes.
  detached: true,
});
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

async function ready() {
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

if (await ready()) {
  // Build today's edition now rather than waiting for 07:00 UTC; a no-op if the slot exists.
  const res = await fetch(`${base}/__scheduled?cron=${encodeURIComponent("0 7 * * *")}`).catch(() => undefined);
  const token = /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync(".dev.vars", "utf8"))?.[1] ?? "(see .dev.vars)";
  console.log(`
  newsletter-digest is running (edition build: ${res?.ok ? "done" : "failed, see the log above"})
    Landing page + subscribe   ${base}/
    Current digest (email)     ${base}/preview   (?format=text, ?format=json)
    Archive / Atom feed        ${base}/editions  ${base}/feed.xml
    Local mailbox              ${base}/dev/mailbox
    Fire the cron by hand      ${base}/__scheduled?cron=0+7+*+*+*
    Admin API                  curl -H "Authorization: Bearer ${token}" ${base}/admin/editions/<id>
  Press Ctrl+C to stop.
`);
}
