// Where the evaluation data is: ../shared/eval beside the project (read in place, never copied),
// or EVAL_DIR. Only the project's developers have it; a user who cloned the project alone is told
// so in one line instead of a stack trace.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const EVAL_DIR = process.env.EVAL_DIR ?? resolve(fileURLToPath(new URL(".", import.meta.url)), "../../../shared/eval");

/** The path of one evaluation file. @example evalFile("duc2003.jsonl") */
export const evalFile = (name: string): string => join(EVAL_DIR, name);

/**
 * Exits with one line naming what is missing when any of `names` is not there.
 * @example requireEvalFiles("npm run eval", ["duc2003.jsonl", "cnndm_dev.jsonl"]);
 */
export function requireEvalFiles(script: string, names: string[]): void {
  const missing = names.map(evalFile).filter((p) => !existsSync(p));
  if (missing.length === 0) return;
  console.error(
    `${script} measures the digest on the shared evaluation data, which is not here: ${missing.join(", ")}. ` +
      "It is distributed to the project's developers only (set EVAL_DIR if it is elsewhere); nothing else needs it.",
  );
  process.exit(1);
}
