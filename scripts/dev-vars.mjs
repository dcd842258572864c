// What `wrangler dev` is given on top of wrangler.toml, shared by `npm start`, `npm run admin` and
// the tests that start the real Worker.
//
// Since wrangler.toml declares `[secrets] required` (so that `wrangler deploy` refuses to deploy
// without them), `wrangler dev` loads from .dev.vars only the required secrets and the keys that
// `[vars]` declares; every other key is dropped without a word. The optional secrets
// (RESEND_WEBHOOK_SECRET, SIGNING_SECRET_PREVIOUS, SIGNING_SECRETS) cannot be declared in `[vars]`:
// a deploy would then bind them as empty plain-text vars over the secrets set with
// `wrangler secret put`. So the keys wrangler would drop are passed to `wrangler dev` as `--var`.
import { existsSync, readFileSync } from "node:fs";
import { unstable_readConfig } from "wrangler";

/**
 * Parses dotenv text (KEY=value, optional quotes, # comments), as wrangler reads .dev.vars.
 * @example parseDotenv('A="x y"\n# note\nB=z') // { A: "x y", B: "z" }
 */
export function parseDotenv(text) {
  const out = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let value = m[2];
    const quoted = /^(["'`])([\s\S]*)\1$/.exec(value);
    if (quoted) value = quoted[1] === '"' ? quoted[2].replace(/\\n/g, "\n") : quoted[2];
    else value = value.replace(/\s+#.*$/, "");
    out[m[1]] = value;
  }
  return out;
}

/** The settings of a dotenv file, or {} when there is none. */
export function readDotenv(path) {
  return existsSync(path) ? parseDotenv(readFileSync(path, "utf8")) : {};
}

/** wrangler.toml's `[vars]` and its required secret names. */
export function wranglerConfig(configPath = "wrangler.toml") {
  const config = unstable_readConfig({ config: configPath });
  return { vars: { ...config.vars }, required: [...(config.secrets?.required ?? [])] };
}

/**
 * The `--var` arguments for the settings that `wrangler dev` would drop from `settings` (neither
 * in `[vars]` nor required secrets), plus PUBLIC_BASE_URL for `port` unless `settings` sets it.
 * @example devVarArgs({ RESEND_WEBHOOK_SECRET: "whsec_x" }, 8950)
 *   // ["--var", "RESEND_WEBHOOK_SECRET:whsec_x", "--var", "PUBLIC_BASE_URL:http://localhost:8950"]
 */
export function devVarArgs(settings, port, config = wranglerConfig()) {
  const args = [];
  for (const [key, value] of Object.entries(settings)) {
    if (key in config.vars || config.required.includes(key)) continue;
    args.push("--var", `${key}:${value}`);
  }
  if (!settings.PUBLIC_BASE_URL) args.push("--var", `PUBLIC_BASE_URL:${localBaseUrl(port)}`);
  return args;
}

/** Where `npm start` serves: PORT, else 8787. */
export const localPort = (env = process.env) => Number(env.PORT || 8787);

/** The base URL of a Worker served locally on `port`. */
export const localBaseUrl = (port) => `http://localhost:${port}`;

/**
 * The URL of the local Worker as `npm start` serves it: .dev.vars' PUBLIC_BASE_URL if it sets one,
 * else http://localhost:PORT (8787 by default).
 */
export function localWorkerUrl(settings = readDotenv(".dev.vars"), env = process.env) {
  return (settings.PUBLIC_BASE_URL || localBaseUrl(localPort(env))).replace(/\/+$/, "");
}
