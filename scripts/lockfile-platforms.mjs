#!/usr/bin/env node
// postinstall: keeps package-lock.json valid for `npm ci` on every platform.
// workerd ships its binary in per-platform optional packages (@cloudflare/workerd-darwin-64, ...).
// When the registry this machine uses lacks some platform builds of the pinned workerd version,
// npm leaves them out of the lock file, and `npm ci` then refuses the lock ("Missing ... from lock
// file"). This restores those entries with their os/cpu fields, so npm skips them on other
// platforms and fetches them by name and version on theirs. Entries already present are kept.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const PLATFORMS = {
  "darwin-64": ["darwin", "x64"],
  "darwin-arm64": ["darwin", "arm64"],
  "linux-64": ["linux", "x64"],
  "linux-arm64": ["linux", "arm64"],
  "windows-64": ["win32", "x64"],
};

if (existsSync("package-lock.json")) {
  const text = readFileSync("package-lock.json", "utf8");
  const lock = JSON.parse(text);
  let added = 0;
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (!path.endsWith("node_modules/workerd") || !entry.optionalDependencies) continue;
    const prefix = path.slice(0, -"workerd".length);
    for (const [name, version] of Object.entries(entry.optionalDependencies)) {
      const key = prefix + name;
      const platform = PLATFORMS[name.replace("@cloudflare/workerd-", "")];
      if (lock.packages[key] || !platform) continue;
      lock.packages[key] = {
        version,
        cpu: [platform[1]],
        dev: entry.dev,
        license: "Apache-2.0",
        optional: true,
        os: [platform[0]],
        engines: { node: ">=16" },
      };
      added++;
    }
  }
  if (added > 0) {
    writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n");
    console.error(`lockfile-platforms: restored ${added} workerd platform entries in package-lock.json`);
  }
}
