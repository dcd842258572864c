// Test-only bindings added by vitest.config.ts on top of wrangler.toml's.
import type { D1Migration } from "@cloudflare/vitest-plugin";

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[];
      /** The ../shared/eval files present, comma-separated (test/support/eval-present.ts). */
      EVAL_FILES: string;
      /** Base URL of test/support/fixture-server.ts (serves test/fixtures/). */
      TEST_FIXTURES_URL: string;
      /** An optional secret in production; vitest.config.ts sets one for the webhook tests. */
      RESEND_WEBHOOK_SECRET: string;
    }
  }
}
