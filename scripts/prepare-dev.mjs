#!/usr/bin/env node
// Creates .dev.vars from .dev.vars.example on first run, with fresh random secrets, so that
// `npm start` works on a clean clone without anyone inventing secrets by hand.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

if (!existsSync(".dev.vars")) {
  const secret = () => randomBytes(24).toString("base64url");
  // Standard Webhooks secrets are whsec_ and the base64 of the key bytes.
  const webhookSecret = () => `whsec_${randomBytes(24).toString("base64")}`;
  const text = readFileSync(".dev.vars.example", "utf8")
    .replace(/^(SIGNING_SECRET|ADMIN_TOKEN)=.*$/gm, (_, name) => `${name}=${secret()}`)
    .replace(/^RESEND_WEBHOOK_SECRET=.*$/m, () => `RESEND_WEBHOOK_SECRET=${webhookSecret()}`);
  writeFileSync(".dev.vars", text, { mode: 0o600 });
  console.error("prepare-dev: wrote .dev.vars with fresh local secrets");
}
