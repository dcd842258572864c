// `npm run admin -- <command>`: the admin API from the command line.
//   npm run admin -- build [--force] [--slot SLOT] [--send]   build an edition now (optionally send it)
//   npm run admin -- send ID                                  send, or resume sending (after a pause), edition ID
//   npm run admin -- status ID                                delivery state (paused, held...), counts and failures
//   npm run admin -- resend-failed ID                         resend final failures under new keys (after a fix)
//   npm run admin -- resend-held ID                           resend rows held past the provider's key memory
//   npm run admin -- erase EMAIL                              erase an address everywhere (sent in the body, never the URL)
//   npm run admin -- lift EMAIL                               lift a bounce or complaint (the reader may then opt in again)
// The token comes from ADMIN_TOKEN, else from .dev.vars (what `npm start` uses); the Worker's URL
// from --url or ADMIN_URL, else http://localhost:PORT (8787 by default), where `npm start` serves.
import { existsSync, readFileSync } from "node:fs";

const usage = `usage: npm run admin -- build [--force] [--slot SLOT] [--send] | send ID | status ID
                            | resend-failed ID | resend-held ID | erase EMAIL | lift EMAIL  [--url URL]
  ADMIN_TOKEN (or .dev.vars) holds the bearer token; --url or ADMIN_URL the Worker
  (default http://localhost:$PORT, 8787 when PORT is unset: where \`npm start\` serves)`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** ADMIN_TOKEN from the environment, else the local .dev.vars that `npm start` wrote. */
function adminToken(): string {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  if (existsSync(".dev.vars")) {
    const match = /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync(".dev.vars", "utf8"));
    if (match?.[1]) return match[1].trim().replace(/^"(.*)"$/, "$1");
  }
  return fail("No admin token: set ADMIN_TOKEN (or run `npm start` once to write .dev.vars).");
}

function parse(argv: string[]) {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--force" || arg === "--send") flags.set(arg.slice(2), true);
    else if (arg === "--slot" || arg === "--url") {
      const value = argv[++i];
      if (!value) fail(`${arg} needs a value\n${usage}`);
      flags.set(arg.slice(2), value);
    } else if (arg.startsWith("--")) fail(`unknown option ${arg}\n${usage}`);
    else positional.push(arg);
  }
  return { flags, positional };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv.includes("--help") || argv[0] === "help") {
    console.log(usage);
    return;
  }
  const { flags, positional } = parse(argv);
  const [command, id] = positional;
  const local = `http://localhost:${process.env.PORT || 8787}`;
  const base = String(flags.get("url") ?? process.env.ADMIN_URL ?? local).replace(/\/+$/, "");
  let method = "GET";
  let path: string;
  let body: string | undefined;
  if (command === "build" && !id) {
    method = "POST";
    path = "/admin/editions";
    const payload: Record<string, unknown> = {};
    if (flags.has("force")) payload.force = true;
    if (flags.has("send")) payload.send = true;
    if (flags.has("slot")) payload.slot = flags.get("slot");
    body = JSON.stringify(payload);
  } else if ((command === "send" || command === "status") && id) {
    method = command === "send" ? "POST" : "GET";
    path = `/admin/editions/${encodeURIComponent(id)}${command === "send" ? "/send" : ""}`;
  } else if ((command === "resend-failed" || command === "resend-held") && id) {
    method = "POST";
    path = `/admin/editions/${encodeURIComponent(id)}/${command}`;
  } else if ((command === "erase" || command === "lift") && id) {
    // The address goes in the body: URLs end up in request logs.
    method = "POST";
    path = `/admin/subscribers/${command}`;
    body = JSON.stringify({ email: id });
  } else return fail(usage);

  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken()}`,
        accept: "application/json",
        ...(body ? { "content-type": "application/json" } : {}),
      },
      body,
    });
  } catch (err) {
    return fail(`Could not reach ${base}: ${String(err)}. Is the Worker running (npm start)?`);
  }
  const text = await res.text();
  let out = text;
  try {
    out = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // not JSON: print as is
  }
  console.log(out);
  if (!res.ok) process.exit(1);
}

await main();
