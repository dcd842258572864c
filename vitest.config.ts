// Two test projects: "workers" runs inside workerd with the real local D1, Queue, rate limiter
// and send_email bindings from wrangler.toml; "node" runs what needs Node (the CLI as a process,
// the evaluation data in ../shared/eval, a real browser against `wrangler dev`).
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { fileURLToPath } from "node:url";
import { unstable_readConfig } from "wrangler";
import { defineConfig } from "vitest/config";
import { presentEvalFiles } from "./test/support/eval-data";
import { startFakeResend } from "./test/support/fake-resend";
import { startFixtureServer } from "./test/support/fixture-server";

// The email provider is the one edge we cannot reach offline: a real local HTTP server plays it
// for the whole run, and the Worker under test is pointed at it.
const fakeResend = await startFakeResend("re_test_key");
fakeResend.server.unref();
// Feeds and other web pages the Worker fetches, served from test/fixtures/.
const fixtures = await startFixtureServer();
fixtures.server.unref();

const migrations = await readD1Migrations(fileURLToPath(new URL("./migrations", import.meta.url)));

// Every [vars] value is bound here from wrangler.toml itself, so that a developer's .dev.vars
// (which wrangler would otherwise lay over them: their FEED_URLS, their PUBLIC_BASE_URL) changes
// no test result. Secrets not bound below are not loaded from .dev.vars either: wrangler.toml's
// [secrets] limits what it reads to the required ones, and those are all bound here.
const { vars } = unstable_readConfig({ config: fileURLToPath(new URL("./wrangler.toml", import.meta.url)) });

/** Test-only secrets and switches; test/env.d.ts declares their types. */
export const testBindings = {
  ...(vars as Record<string, string>),
  SIGNING_SECRET: "test-signing-secret-0123456789abcdef",
  ADMIN_TOKEN: "test-admin-token-0123456789abcdef",
  RESEND_API_KEY: "re_test_key",
  // Standard Webhooks secret format: whsec_ and base64 key bytes; tests sign with the same library.
  RESEND_WEBHOOK_SECRET: "whsec_dGVzdC13ZWJob29rLXNlY3JldC0wMTIzNDU2Nzg5",
  RESEND_BASE_URL: fakeResend.url,
  TEST_FIXTURES_URL: fixtures.url,
  MAIL_TRANSPORT: "outbox",
  DEV_MAILBOX: "on",
  TEST_MIGRATIONS: migrations,
  // Which ../shared/eval files exist: the tests that need one skip, naming it, when it does not.
  EVAL_FILES: presentEvalFiles(),
};

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: { bindings: testBindings },
          }),
        ],
        test: {
          name: "workers",
          include: ["test/**/*.test.ts", "src/**/*.test.ts"],
          exclude: ["test/node/**", "test/browser/**"],
          setupFiles: ["./test/apply-migrations.ts"],
        },
      },
      {
        test: {
          name: "node",
          environment: "node",
          include: ["test/node/**/*.test.ts", "test/browser/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
