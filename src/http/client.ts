// Who a request comes from, for rate limits: an IPv4 address as it is, an IPv6 address by its
// /64 network (one subscriber line or host usually holds a whole /64, so limiting single
// addresses in it would limit nothing).

/**
 * The rate-limit key of a client address: IPv4 unchanged, IPv6 as its /64 prefix.
 * @example clientKey("2001:db8:1:2:aaaa::1") // "2001:db8:1:2::/64"
 * @example clientKey("203.0.113.9") // "203.0.113.9"
 */
export function clientKey(ip: string): string {
  if (!ip.includes(":")) return ip;
  // An IPv4-mapped address (::ffff:1.2.3.4) is that IPv4 client.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const [head = "", tail] = ip.toLowerCase().split("%")[0]!.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  const prefix = groups.slice(0, 4).map((g) => (Number.parseInt(g, 16) || 0).toString(16));
  while (prefix.length < 4) prefix.push("0");
  return `${prefix.join(":")}::/64`;
}
