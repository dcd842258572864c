// Where the full-text fetch of an article page may go (issue 21, F3). A feed's items are written
// by whoever controls the feed, so their links are untrusted: a page is fetched only over http(s)
// on the default port, from a public address (no IP literal or resolved address in loopback,
// private, link-local, carrier-grade NAT or other special ranges, IPv4 or IPv6, mapped forms
// included), and by default only from the feed's own site (its host or a sibling subdomain);
// other hosts by opt-in (FULL_TEXT_HOSTS). Loopback is allowed only while PUBLIC_BASE_URL is
// loopback itself (wrangler dev with local fixtures). Pure: no I/O but the resolver it is given.

/** What kind of address an IP is: only "public" ones are fetched ("loopback" under local development too). */
export type AddressKind = "public" | "loopback" | "private";

/** Resolves a host name to its IP addresses (A and AAAA); throws or returns [] when it cannot. */
export type Resolver = (host: string) => Promise<string[]>;

export interface PagePolicy {
  /** The feed the item came from: its host sets the site pages may come from. */
  feedUrl: string;
  /** Loopback hosts (any port) are allowed: PUBLIC_BASE_URL is loopback (wrangler dev, tests). */
  allowLoopback: boolean;
  /** Hosts allowed besides the feed's site (FULL_TEXT_HOSTS); "*" allows any public host. */
  extraHosts: readonly string[];
}

export type PolicyCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * The four bytes of a dotted-quad IPv4 address, or null.
 * @example parseIPv4("10.0.0.1") // [10, 0, 0, 1]
 */
export function parseIPv4(s: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const bytes = m.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

/**
 * The eight 16-bit groups of an IPv6 address (brackets, a zone and an embedded IPv4 tail allowed), or null.
 * @example parseIPv6("::1") // [0, 0, 0, 0, 0, 0, 0, 1]
 */
export function parseIPv6(input: string): number[] | null {
  let s = input.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!s.includes(":") || s.length > 64) return null;
  let tail: number[] = [];
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (v4) {
    const b = parseIPv4(v4[1]!);
    if (!b) return null;
    tail = [(b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!];
    s = s.slice(0, -v4[1]!.length);
    if (s.endsWith(":") && !s.endsWith("::")) s = s.slice(0, -1);
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (![...head, ...rest].every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 && known !== 8) return null;
  if (halves.length === 2 && known > 7) return null;
  const zeros = Array(8 - known).fill(0);
  return [...head.map((g) => Number.parseInt(g, 16)), ...zeros, ...rest.map((g) => Number.parseInt(g, 16)), ...tail];
}

function kindOfIPv4(b: number[]): AddressKind {
  const [a, c] = [b[0]!, b[1]!];
  if (a === 127) return "loopback";
  if (
    a === 0 || // "this network"
    a === 10 ||
    (a === 100 && c >= 64 && c <= 127) || // carrier-grade NAT
    (a === 169 && c === 254) || // link-local (cloud metadata)
    (a === 172 && c >= 16 && c <= 31) ||
    (a === 192 && c === 168) ||
    (a === 192 && c === 0 && (b[2] === 0 || b[2] === 2)) || // IETF protocol assignments, TEST-NET-1
    (a === 198 && (c === 18 || c === 19)) || // benchmarking
    (a === 198 && c === 51 && b[2] === 100) ||
    (a === 203 && c === 0 && b[2] === 113) ||
    a >= 224 // multicast, reserved, broadcast
  )
    return "private";
  return "public";
}

const v4Of = (g: number[], at: number) => [g[at]! >> 8, g[at]! & 255, g[at + 1]! >> 8, g[at + 1]! & 255];

function kindOfIPv6(g: number[]): AddressKind {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(7) && g[7] === 1) return "loopback";
  if (zeroUpTo(8)) return "private"; // unspecified
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): the IPv4 address decides.
  if (zeroUpTo(5) && g[5] === 0xffff) return kindOfIPv4(v4Of(g, 6));
  if (zeroUpTo(6)) return kindOfIPv4(v4Of(g, 6));
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return kindOfIPv4(v4Of(g, 6));
  // 6to4 (2002:a.b.c.d::/48) carries an IPv4 address in groups 1-2.
  if (g[0] === 0x2002) return kindOfIPv4(v4Of(g, 1));
  const first = g[0]!;
  if (
    (first & 0xfe00) === 0xfc00 || // unique local
    (first & 0xffc0) === 0xfe80 || // link-local
    (first & 0xffc0) === 0xfec0 || // site-local (deprecated)
    (first & 0xff00) === 0xff00 || // multicast
    (first === 0x2001 && g[1] === 0x0db8) || // documentation
    (first === 0x2001 && g[1] === 0) || // Teredo: hides an IPv4 address
    (first === 0x0100 && g.slice(1, 4).every((x) => x === 0)) // discard prefix
  )
    return "private";
  return "public";
}

/**
 * The kind of an IP address given as text (IPv4 dotted quad, or IPv6 with or without brackets),
 * or null when the text is not an IP address.
 * @example addressKind("169.254.169.254") // "private"; addressKind("[::ffff:7f00:1]") // "loopback"
 */
export function addressKind(ip: string): AddressKind | null {
  const v4 = parseIPv4(ip);
  if (v4) return kindOfIPv4(v4);
  const v6 = parseIPv6(ip);
  return v6 ? kindOfIPv6(v6) : null;
}

const isLocalhostName = (host: string) => host === "localhost" || host.endsWith(".localhost");

// Second-level labels under which registrations sit one level deeper (example.co.uk).
const SECOND_LEVEL = new Set(["co", "com", "net", "org", "ac", "gov", "edu", "ne", "or", "go"]);

/**
 * The site a host belongs to, for the same-site rule: its last two labels (three under a
 * country's second level such as co.uk), or the host itself when it is an IP address.
 * @example siteOf("news.example.co.uk") // "example.co.uk"
 */
export function siteOf(host: string): string {
  if (addressKind(host) !== null || !host.includes(".")) return host;
  const labels = host.split(".");
  const n = labels.length >= 3 && labels[labels.length - 1]!.length === 2 && SECOND_LEVEL.has(labels[labels.length - 2]!) ? 3 : 2;
  return labels.slice(-n).join(".");
}

/**
 * Checks one URL (a page, or one hop of its redirects) against the policy, resolving its host
 * name when it is not an IP address. No connection is opened here.
 * @example const check = await checkPageUrl("http://10.0.0.1/x", policy, resolve); // { ok: false, reason: "..." }
 */
export async function checkPageUrl(raw: string, policy: PagePolicy, resolve: Resolver): Promise<PolicyCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a valid URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: `${url.protocol} is not http or https` };
  if (url.username || url.password) return { ok: false, reason: "URLs with credentials are not fetched" };
  // The URL parser has already turned every IPv4 spelling (2130706433, 0x7f.1, 127.1) into a dotted quad.
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  const literal = addressKind(host);
  const loopbackName = isLocalhostName(host);
  const loopback = literal === "loopback" || loopbackName;
  if (loopback && !policy.allowLoopback) return { ok: false, reason: `${host} is a loopback address (PUBLIC_BASE_URL is not loopback)` };
  if (literal === "private") return { ok: false, reason: `${host} is a private, link-local or reserved address` };
  // The scheme's default port only (the parser drops an explicit default one); local fixtures may use any.
  if (url.port !== "" && !loopback) return { ok: false, reason: `port ${url.port} is not the default port of ${url.protocol}` };

  const feedHost = hostOf(policy.feedUrl);
  const sameSite = feedHost !== null && siteOf(feedHost) === siteOf(host);
  if (!sameSite && !policy.extraHosts.includes("*") && !policy.extraHosts.includes(host)) {
    return { ok: false, reason: `${host} is not the feed's own site (FULL_TEXT_HOSTS may allow it)` };
  }
  if (literal !== null || loopbackName) return { ok: true, url };

  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch (e) {
    return { ok: false, reason: `${host} could not be resolved (${e instanceof Error ? e.message : String(e)})` };
  }
  if (addresses.length === 0) return { ok: false, reason: `${host} could not be resolved` };
  for (const ip of addresses) {
    const kind = addressKind(ip);
    if (kind === "public" || (kind === "loopback" && policy.allowLoopback)) continue;
    return { ok: false, reason: `${host} resolves to ${kind === null ? "an unreadable address" : `a ${kind} address`}` };
  }
  return { ok: true, url };
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return null;
  }
}
