// The workerd side of eval-data.ts: tests inside workerd cannot look at the file system, so
// vitest.config.ts passes the names of the evaluation files that exist as the EVAL_FILES binding.

/**
 * True when `file` is not among `present` (EVAL_FILES), after printing one line naming it.
 * @example describe.skipIf(evalAbsent(env.EVAL_FILES, "duc2003.jsonl", "duc2003 replay"))(...)
 */
export function evalAbsent(present: string, file: string, what: string): boolean {
  if (present.split(",").includes(file)) return false;
  console.warn(`skipped: ${what} (needs ../shared/eval/${file}, which is not here)`);
  return true;
}
