// Where the shared evaluation data lives (../shared/eval beside the project, read in place, never
// copied), and whether it is there. A user who cloned the project alone has none of it: the tests
// and benchmarks that need it skip, each with one line naming the missing file. EVAL_DIR points
// elsewhere (CI sets it to a folder that does not exist, to prove the suite passes without it).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const EVAL_DIR = process.env.EVAL_DIR ?? fileURLToPath(new URL("../../../shared/eval/", import.meta.url));

/** The evaluation files the tests may read. */
export const EVAL_FILES = ["cnndm_dev.jsonl", "duc2003.jsonl", "gva_dev.jsonl"] as const;
export type EvalFile = (typeof EVAL_FILES)[number];

/** Absolute path of one evaluation file. */
export const evalPath = (file: EvalFile): string => join(EVAL_DIR, file);

/** The evaluation files present now, comma-separated (a binding for the tests inside workerd). */
export const presentEvalFiles = (): string => EVAL_FILES.filter((f) => existsSync(evalPath(f))).join(",");

/**
 * True when `file` is missing, after printing the one line that says which test skips and why.
 * @example describe.skipIf(evalMissing("duc2003.jsonl", "duc2003 replay"))("...", () => { ... })
 */
export function evalMissing(file: EvalFile, what: string): boolean {
  if (existsSync(evalPath(file))) return false;
  console.warn(`skipped: ${what} (needs ${evalPath(file)}, which is not here)`);
  return true;
}
