// A fetched feed's bytes -> text, in the encoding it declares: the HTTP Content-Type charset first,
// then the XML declaration's encoding, then a byte-order mark, else UTF-8. A byte-order mark that
// contradicts a label wins (as in WHATWG's decode): it is the bytes' own word, and a UTF-8 or
// UTF-16 document read as the label says would be garbage; UTF-16 bytes without a BOM override an
// 8-bit label for the same reason. WHATWG
// labels are used, as TextDecoder in Node and workerd both know them: "iso-8859-1" and "latin1"
// decode as windows-1252 (a superset). Undecodable bytes become U+FFFD and are reported once; when
// nothing declared UTF-8 and the bytes are not UTF-8, they are read as windows-1252 (the usual
// mislabelled feed), also with a warning.

export interface Decoded {
  text: string;
  /** The encoding used (TextDecoder's canonical name). */
  encoding: string;
  /** At most one line: what could not be decoded, or the guess that was made. */
  warnings: string[];
}

/** The charset parameter of a Content-Type header, if any. */
export function charsetOf(contentType: string | null | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType ?? "");
  return m?.[2]?.trim() || undefined;
}

function bomOf(b: Uint8Array): { encoding: string; length: number } | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: "utf-8", length: 3 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: "utf-16le", length: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: "utf-16be", length: 2 };
  // "<?" in UTF-16 without a BOM
  if (b[0] === 0x3c && b[1] === 0 && b[2] === 0x3f && b[3] === 0) return { encoding: "utf-16le", length: 0 };
  if (b[0] === 0 && b[1] === 0x3c && b[2] === 0 && b[3] === 0x3f) return { encoding: "utf-16be", length: 0 };
  return undefined;
}

/** The encoding an XML declaration names (read as ASCII from the first bytes). */
export function xmlDeclEncoding(b: Uint8Array): string | undefined {
  let head = "";
  for (let i = 0; i < Math.min(b.length, 256); i++) head += String.fromCharCode(b[i]!);
  const m = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return m?.[1];
}

function decoderFor(label: string | undefined): TextDecoder | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label.toLowerCase(), { fatal: false, ignoreBOM: false });
  } catch {
    return undefined; // a label no decoder knows
  }
}

const countReplacements = (s: string) => {
  let n = 0;
  for (let i = s.indexOf("\uFFFD"); i >= 0; i = s.indexOf("\uFFFD", i + 1)) n++;
  return n;
};

/**
 * Decodes a feed's bytes as its Content-Type, XML declaration or BOM says.
 * @example decodeFeed(bytes, "application/rss+xml; charset=ISO-8859-1").text
 */
export function decodeFeed(bytes: Uint8Array, contentType?: string | null): Decoded {
  const warnings: string[] = [];
  const bom = bomOf(bytes);
  const declared: [string, string | undefined][] = [
    ["HTTP charset", charsetOf(contentType)],
    // A declaration is ASCII, readable only when the bytes are ASCII-compatible (not UTF-16).
    ["XML declaration", bom?.encoding.startsWith("utf-16") ? undefined : xmlDeclEncoding(bytes.subarray(bom?.length ?? 0))],
  ];
  let decoder: TextDecoder | undefined;
  let source = "default";
  for (const [where, label] of declared) {
    if (!label) continue;
    const d = decoderFor(label);
    if (!d) {
      warnings.push(`unknown encoding "${label}" (${where}), ignored`);
      continue;
    }
    decoder = d;
    source = where;
    break;
  }
  // A BOM contradicting the label, or UTF-16 bytes declared as an 8-bit encoding: the bytes win.
  const contradicts = bom && decoder && decoder.encoding !== bom.encoding;
  if (bom && (!decoder || (contradicts && (bom.length > 0 || !decoder.encoding.startsWith("utf-16"))))) {
    decoder = new TextDecoder(bom.encoding);
    source = "byte-order mark";
  }
  decoder ??= new TextDecoder("utf-8");
  if (source === "default") {
    // Nothing declared: UTF-8 if the bytes are UTF-8, else the usual mislabelled windows-1252.
    try {
      return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes), encoding: "utf-8", warnings };
    } catch {
      const text = new TextDecoder("windows-1252").decode(bytes);
      warnings.push("declares no encoding and is not valid UTF-8: read as windows-1252");
      return { text, encoding: "windows-1252", warnings };
    }
  }
  const text = decoder.decode(bytes);
  const bad = countReplacements(text);
  if (bad > 0) {
    // Count only what decoding replaced: a fatal decode tells whether any byte was undecodable.
    let undecodable = true;
    try {
      new TextDecoder(decoder.encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
      undecodable = false;
    } catch {
      // some bytes are not text in this encoding
    }
    if (undecodable) warnings.push(`${bad} undecodable byte sequence(s) in ${decoder.encoding} (from the ${source}), shown as U+FFFD`);
  }
  return { text, encoding: decoder.encoding, warnings };
}
