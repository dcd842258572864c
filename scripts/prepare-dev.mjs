#!/usr/bin/env node
// Creates .dev.vars from .dev.vars.example on first run, with fresh random secrets, so that
// `npm start` works on a clean clone without anyone inventing secrets by hand.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

if (!existsSync(".dev.vars")) {
  const secret = () => randomBytes(24).toString("base64url");
  const text = readFileSync(".dev.vars.example", "utf8").replace(/^(SIGNING_SECRET|ADMIN_TOKEN)=.*$/gm, (_, name) => `${name}=${secret()}`);
  writeFileSync(".dev.vars", text, { mode: 0o600 });
  console.error("prepare-dev: wrote .dev.vars with fresh local secrets");
}
