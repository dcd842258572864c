#!/usr/bin/env node
// CI's second run of the test suite, as a user who cloned the project alone would have it: no
// ../shared/eval (EVAL_DIR points at a folder that does not exist) and a hostile .dev.vars and .env
// (a dead feed, another PUBLIC_BASE_URL, a real transport, other secrets). It passes only when
// every test passes or is skipped by a test that names the missing evaluation file, and no test
// fails or errors. A .dev.vars or .env already here is put back afterwards.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const HOSTILE = `# Written by scripts/ci-hermetic.mjs: no test may depend on any of this.
SIGNING_SECRET=hostile-signing-secret-that-no-test-knows-0123456789
ADMIN_TOKEN=hostile-admin-token-that-no-test-knows-0123456789
RESEND_API_KEY=re_hostile
RESEND_WEBHOOK_SECRET=whsec_aG9zdGlsZS13ZWJob29rLXNlY3JldC0wMTIzNDU2Nzg5
SIGNING_SECRET_PREVIOUS=hostile-previous-secret-0123456789abcdef
FEED_URLS="Dead Feed <http://127.0.0.1:9/dead.xml>"
SEEDS=on
PUBLIC_BASE_URL=https://hostile.example:1234
MAIL_TRANSPORT=resend
RESEND_BASE_URL=http://127.0.0.1:9
DEV_MAILBOX=off
NEWSLETTER_TITLE=Hostile Title
FULL_TEXT_PER_RUN=50
`;

const saved = [];
for (const file of [".dev.vars", ".env"]) {
  if (existsSync(file)) {
    renameSync(file, `${file}.ci-saved`);
    saved.push(file);
  }
  writeFileSync(file, HOSTILE);
}

const report = join(tmpdir(), `vitest-hermetic-${process.pid}.json`);
let status = 1;
try {
  const run = spawnSync("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`], {
    stdio: "inherit",
    env: { ...process.env, EVAL_DIR: join(tmpdir(), "no-shared-eval-here") },
  });
  status = check(run.status);
} finally {
  for (const file of [".dev.vars", ".env"]) {
    rmSync(file, { force: true });
    if (saved.includes(file)) renameSync(`${file}.ci-saved`, file);
  }
  rmSync(report, { force: true });
}
process.exit(status);

/** 0 when the run passed with only named skips, else 1 after saying what went wrong. */
function check(exitCode) {
  if (!existsSync(report)) {
    console.error(`ci-hermetic: vitest wrote no report (exit ${exitCode})`);
    return 1;
  }
  const result = JSON.parse(readFileSync(report, "utf8"));
  const problems = [];
  if (exitCode !== 0) problems.push(`vitest exited ${exitCode}`);
  if (result.numFailedTests || result.numFailedTestSuites) {
    problems.push(`${result.numFailedTests} failed tests, ${result.numFailedTestSuites} failed files`);
  }
  const skipped = new Map();
  for (const file of result.testResults) {
    const n = file.assertionResults.filter((t) => t.status !== "passed" && t.status !== "failed").length;
    if (n) skipped.set(relative(process.cwd(), file.name), n);
  }
  for (const [file, n] of skipped) {
    // A named skip comes from the helpers that print which evaluation file is missing.
    if (!/\bevalMissing\(|\bevalAbsent\(/.test(readFileSync(file, "utf8")))
      problems.push(`${file}: ${n} tests skipped without naming a missing file`);
  }
  const total = [...skipped.values()].reduce((a, b) => a + b, 0);
  if (problems.length) {
    console.error(`ci-hermetic: FAILED\n  ${problems.join("\n  ")}`);
    return 1;
  }
  console.log(
    `ci-hermetic: ${result.numPassedTests} passed without ../shared/eval and with a hostile .dev.vars; ` +
      `${total} skipped in ${skipped.size} files, each naming the evaluation file it needs`,
  );
  return 0;
}
