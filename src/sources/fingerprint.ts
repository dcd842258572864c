// An item's content fingerprint: the same text under two guids or URLs is stored once. Pure.
import { fnv1a32 } from "../digest/text";

/**
 * A 64-bit hash (two FNV-1a seeds) of an item's cleaned text, case and spacing normalised.
 * @example fingerprint(["Hello  World."]) === fingerprint(["hello world."])
 */
export function fingerprint(paragraphs: readonly string[]): string {
  const norm = paragraphs.join(" ").toLowerCase().replace(/\s+/g, " ").trim();
  const a = fnv1a32(norm) >>> 0;
  const b = fnv1a32(norm, 0x5bd1e995) >>> 0;
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}
