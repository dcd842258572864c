// base64url (RFC 4648 §5, unpadded) for tokens and cursors that travel in URLs.

/** @example toBase64Url(new Uint8Array([251, 255])) // "-_8" */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The bytes, or null for anything that is not canonical unpadded base64url. The last character of
 * a string whose length is not a multiple of 4 carries unused bits; a string that sets them is
 * refused, so each byte string has exactly one encoding and an altered token never decodes to the
 * original bytes.
 * @example fromBase64Url("-_8") // Uint8Array [251, 255]; fromBase64Url("-_9") // null
 */
export function fromBase64Url(s: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null;
  try {
    const binary = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4));
    const bytes = new Uint8Array(new ArrayBuffer(binary.length));
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return toBase64Url(bytes) === s ? bytes : null;
  } catch {
    return null;
  }
}
