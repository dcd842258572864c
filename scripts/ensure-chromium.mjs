#!/usr/bin/env node
// Runs before `npm test`: the browser tests drive Debian's Chromium (this network reaches no
// browser download site, so `playwright install` is not an option). If it is missing and we
// can install it (root with apt-get, as on these machines and CI), install it; otherwise say
// exactly what to do, once, instead of letting every browser test fail on its own.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(path)) {
  const canInstall = process.getuid?.() === 0 && spawnSync("apt-get", ["--version"], { stdio: "ignore" }).status === 0;
  if (!canInstall) {
    console.error(`Chromium not found at ${path}. Install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`);
    process.exit(1);
  }
  console.error("ensure-chromium: installing Debian's chromium for the browser tests");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", "chromium"],
  ]) {
    const r = spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  if (!existsSync(path)) {
    console.error(`Chromium is still not at ${path} after installing it: set CHROMIUM_PATH.`);
    process.exit(1);
  }
}
