// `npm run admin -- erase EMAIL` as an operator runs it (issue 21, F8): a real process against
// a loopback server of the test's own, which records what it is sent. The address travels in a
// JSON body, never in the URL.
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = join(root, "node_modules", ".bin", "tsx");

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

async function run(args: string[]): Promise<{ code: number | null; stdout: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    seen.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization, body });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ erased: true, deliveries: 0, outbox: 0 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const child = spawn(tsx, ["scripts/admin.ts", ...args, "--url", url], {
      cwd: root,
      env: { ...process.env, ADMIN_TOKEN: "script-test-token-0123456789abcdef" },
    });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    return { code, stdout, seen };
  } finally {
    server.close();
  }
}

describe("npm run admin", () => {
  it("erases an address with a POST whose JSON body carries it, keeping it out of the URL", async () => {
    const r = await run(["erase", "ann+news@example.com"]);
    expect(r.code).toBe(0);
    expect(r.seen).toEqual([
      {
        method: "POST",
        url: "/admin/subscribers/erase",
        authorization: "Bearer script-test-token-0123456789abcdef",
        body: JSON.stringify({ email: "ann+news@example.com" }),
      },
    ]);
    expect(JSON.parse(r.stdout)).toEqual({ erased: true, deliveries: 0, outbox: 0 });
  });

  it("lifts a suppression the same way", async () => {
    const r = await run(["lift", "bob@example.org"]);
    expect(r.seen.map((s) => [s.method, s.url, s.body])).toEqual([["POST", "/admin/subscribers/lift", '{"email":"bob@example.org"}']]);
  });
});
