// Hex digests of text through Web Crypto, for ids, ETags and the pseudonyms kept after erasure.

/**
 * The digest of `text` (UTF-8) as lower-case hex, optionally only its first `bytes` bytes.
 * @example await hexDigest("SHA-256", "abc") // "ba7816bf…"
 */
export async function hexDigest(algorithm: "SHA-1" | "SHA-256", text: string, bytes?: number): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest(algorithm, new TextEncoder().encode(text)));
  return Array.from(bytes === undefined ? digest : digest.subarray(0, bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}
