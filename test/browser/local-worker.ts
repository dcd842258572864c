// Starts the real Worker with `wrangler dev` on a free 127.0.0.1 port, with its own local D1
// (migrated) in a temporary folder, for the browser test and the benchmark. Stop it with stop():
// it kills only the process group it started. Its settings come from the test alone: they are
// written to an env file of its own (so the developer's .dev.vars is never read) and passed the
// way `npm start` passes .dev.vars (scripts/dev-vars.mjs).
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { devVarArgs, wranglerConfig } from "../../scripts/dev-vars.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");

export interface LocalWorker {
  url: string;
  /** Bearer token for /admin/* on this worker. */
  adminToken: string;
  /** Fires the cron handler (wrangler dev --test-scheduled) and returns the newest edition's id. */
  buildEdition(): Promise<string>;
  stop(): Promise<void>;
}

/** A port free on 127.0.0.1 now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the Worker; resolves once GET /ping answers.
 * @example const w = await startLocalWorker(); await fetch(`${w.url}/preview`); await w.stop();
 */
export async function startLocalWorker(opts: { timeoutMs?: number; settings?: Record<string, string> } = {}): Promise<LocalWorker> {
  const persist = mkdtempSync(join(tmpdir(), "digest-worker-"));
  const config = wranglerConfig(join(root, "wrangler.toml"));
  // With [secrets] declared, wrangler also reads process.env for the keys it loads: none of the
  // Worker's settings may come from the shell that runs the tests.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(k in config.vars) && !config.required.includes(k)));
  const env = { ...inherited, CI: "1", WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1" };
  await promisify(execFile)(process.execPath, [wrangler, "d1", "migrations", "apply", "DB", "--local", "--persist-to", persist], {
    cwd: root,
    env,
  });
  const [port, inspector] = [await freePort(), await freePort()];
  const vars = {
    SIGNING_SECRET: "local-signing-secret-0123456789abcdef",
    ADMIN_TOKEN: "local-admin-token-0123456789abcdef",
    RESEND_API_KEY: "re_local",
    MAIL_TRANSPORT: "outbox",
    DEV_MAILBOX: "on",
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    ...opts.settings,
  };
  const envFile = join(persist, "test.dev.vars");
  writeFileSync(
    envFile,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join("\n"),
  );
  const args = [
    wrangler,
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspector),
    "--persist-to",
    persist,
    "--test-scheduled",
    "--log-level",
    "warn",
    "--env-file",
    envFile,
    ...devVarArgs(vars, port, config),
  ];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await Promise.race([exited, sleep(5000)]);
      try {
        if (child.exitCode === null) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    rmSync(persist, { recursive: true, force: true });
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`wrangler dev exited (${child.exitCode}):\n${output.slice(-2000)}`);
    }
    const ok = await fetch(`${url}/ping`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not answer within the timeout:\n${output.slice(-2000)}`);
    }
    await sleep(250);
  }

  async function buildEdition(): Promise<string> {
    // What builds and sends an edition by hand now that the schedule is checked on the 10-minute
    // tick (no fixed daily cron): the admin API's build with send.
    const res = await fetch(`${url}/admin/editions`, {
      method: "POST",
      headers: { authorization: `Bearer ${vars.ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ send: true }),
    });
    if (!res.ok) throw new Error(`POST /admin/editions answered ${res.status}: ${await res.text()}`);
    const { edition } = (await res.json()) as { edition: { status: string; editionId: string } };
    if (edition.status !== "built") throw new Error(`POST /admin/editions built nothing (${edition.status}):\n${output.slice(-2000)}`);
    // The archive lists it.
    const html = await (await fetch(`${url}/editions`, { headers: { accept: "text/html" } })).text();
    if (!html.includes(`href="/editions/${encodeURIComponent(edition.editionId)}"`)) {
      throw new Error(`edition ${edition.editionId} is not in the archive:\n${output.slice(-2000)}`);
    }
    return edition.editionId;
  }

  return { url, adminToken: vars.ADMIN_TOKEN, buildEdition, stop };
}
