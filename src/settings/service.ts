// The operator's settings (schedule, review before send, event retention): stored in D1, each
// falling back to its default from wrangler.toml's vars (config.settingsDefaults). GET and PUT
// /admin/settings and the console read and write them here; the cron reads them each tick.
import { settingsProblems, type Settings } from "./schedule";
import { readSettings, writeSettings } from "./store";

export type { Settings } from "./schedule";

/** What the settings need of the configuration (config.settingsDefaults; settings import nothing of config). */
type Defaults = { settingsDefaults: Settings };

const KEYS: ReadonlyArray<keyof Settings> = ["sendAt", "timezone", "days", "review", "reviewDeadlineMinutes", "eventRetentionDays"];

/**
 * The settings in force: each stored value that is still valid, else the default.
 * @example const { sendAt, timezone } = await currentSettings(deps);
 */
export async function currentSettings(deps: { db: D1Database; config: Defaults }): Promise<Settings> {
  const stored = await readSettings(deps.db);
  const out: Settings = { ...deps.config.settingsDefaults };
  for (const key of KEYS) {
    if (key in stored && settingsProblems({ [key]: stored[key] }).length === 0)
      (out as unknown as Record<string, unknown>)[key] = stored[key];
  }
  return out;
}

/**
 * Checks and stores a change: the fields given replace the stored ones. Returns the settings in
 * force afterwards, or the problems (each naming its field) and stores nothing.
 * @example const r = await updateSettings(deps, { sendAt: "25:00" }); // { ok: false, problems: ["sendAt: ..."] }
 */
export async function updateSettings(
  deps: { db: D1Database; config: Defaults; clock: () => Date },
  change: Partial<Record<keyof Settings, unknown>>,
): Promise<{ ok: true; settings: Settings } | { ok: false; problems: string[] }> {
  const problems = settingsProblems(change);
  if (problems.length > 0) return { ok: false, problems };
  const values = Object.fromEntries(KEYS.filter((k) => k in change).map((k) => [k, change[k]]));
  await writeSettings(deps.db, values, deps.clock());
  return { ok: true, settings: await currentSettings(deps) };
}
