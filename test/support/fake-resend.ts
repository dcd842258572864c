// A real local HTTP server that plays Resend's email API (POST /emails, POST /emails/batch) for
// tests and benchmarks, since the real provider cannot be reached offline. It can be told to fail
// (500, 429, or a timeout after accepting the mail), and it honours Idempotency-Key the way
// Resend documents it: a repeated key with the same payload returns the first answer and sends
// nothing twice; the same key with a different payload is a 409.
//
// Control endpoints (used by tests from inside workerd over plain fetch):
//   GET  /__emails   -> { emails: AcceptedEmail[] }
//   POST /__control  <- Partial<FaultPlan>
//   POST /__reset    -> clears emails, idempotency memory and faults
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface AcceptedEmail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  headers: Record<string, string>;
  idempotencyKey?: string;
}

export interface FaultPlan {
  /** Share of calls (0..1) that fail. */
  failRate: number;
  /** Failure kinds picked in turn: "500", "429", "timeout" (accepts, then answers too late). */
  modes: Array<"500" | "429" | "timeout">;
  /** How long a "timeout" answer is held back, ms. */
  timeoutMs: number;
  /** Seed for the deterministic failure sequence. */
  seed: number;
  /** Recipients matching this pattern are rejected with 422 (a permanent error). */
  rejectPattern: string;
}

const defaults: FaultPlan = { failRate: 0, modes: ["500", "429", "timeout"], timeoutMs: 3000, seed: 1, rejectPattern: "^invalid" };

export interface FakeResend {
  url: string;
  server: Server;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeResend(apiKey = "re_test_key"): Promise<FakeResend> {
  let plan: FaultPlan = { ...defaults };
  let rng = plan.seed;
  let calls = 0;
  let nextId = 1;
  const emails: AcceptedEmail[] = [];
  const remembered = new Map<string, { payload: string; status: number; body: unknown }>();

  // Deterministic LCG so a failing run can be replayed with the same seed.
  const random = () => {
    rng = (rng * 1103515245 + 12345) % 2147483648;
    return rng / 2147483648;
  };

  const accept = (raw: Record<string, unknown>, key: string | undefined): { id: string } => {
    const id = `fake_${nextId++}`;
    const to = Array.isArray(raw.to) ? (raw.to as string[]) : [String(raw.to)];
    emails.push({
      id,
      from: String(raw.from),
      to,
      subject: String(raw.subject),
      html: raw.html as string | undefined,
      text: raw.text as string | undefined,
      headers: (raw.headers as Record<string, string>) ?? {},
      idempotencyKey: key,
    });
    return { id };
  };

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/__emails") return json(res, 200, { emails, calls });
    if (req.method === "POST" && path === "/__control") {
      plan = { ...plan, ...(JSON.parse(body || "{}") as Partial<FaultPlan>) };
      rng = plan.seed;
      return json(res, 200, plan);
    }
    if (req.method === "POST" && path === "/__reset") {
      emails.length = 0;
      remembered.clear();
      plan = { ...defaults };
      rng = plan.seed;
      calls = 0;
      nextId = 1;
      return json(res, 200, { ok: true });
    }
    if (req.method !== "POST" || (path !== "/emails" && path !== "/emails/batch")) {
      return json(res, 404, { statusCode: 404, name: "not_found", message: "Route not found" });
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return json(res, 401, { statusCode: 401, name: "missing_api_key", message: "Missing or invalid API key" });
    }
    calls++;
    const key = req.headers["idempotency-key"] as string | undefined;
    const memoKey = key ? `${path} ${key}` : undefined;
    if (memoKey && remembered.has(memoKey)) {
      const prior = remembered.get(memoKey)!;
      if (prior.payload !== body) {
        return json(res, 409, { statusCode: 409, name: "invalid_idempotent_request", message: "Same idempotency key used with a different payload" });
      }
      return json(res, prior.status, prior.body);
    }

    const fault = random() < plan.failRate ? plan.modes[calls % plan.modes.length] : undefined;
    if (fault === "500") return json(res, 500, { statusCode: 500, name: "internal_server_error", message: "Injected failure" });
    if (fault === "429") return json(res, 429, { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests" }, { "retry-after": "1" });

    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return json(res, 422, { statusCode: 422, name: "validation_error", message: "Body is not JSON" });
    }
    const items = path === "/emails/batch" ? parsed : [parsed];
    if (!Array.isArray(items) || items.length === 0 || items.length > 100) {
      return json(res, 422, { statusCode: 422, name: "validation_error", message: "A batch holds 1 to 100 emails" });
    }
    const reject = new RegExp(plan.rejectPattern);
    for (const item of items as Record<string, unknown>[]) {
      const to = Array.isArray(item.to) ? item.to : [item.to];
      if (to.some((t) => reject.test(String(t)))) {
        const answer = { statusCode: 422, name: "validation_error", message: `Invalid \`to\` field: ${to.join(", ")}` };
        if (memoKey) remembered.set(memoKey, { payload: body, status: 422, body: answer });
        return json(res, 422, answer);
      }
    }
    const ids = (items as Record<string, unknown>[]).map((item) => accept(item, key));
    const answer = path === "/emails/batch" ? { data: ids } : ids[0];
    if (memoKey) remembered.set(memoKey, { payload: body, status: 200, body: answer });
    if (fault === "timeout") {
      // Accepted and sent, but the caller gives up before it hears so: the case Idempotency-Key exists for.
      setTimeout(() => json(res, 200, answer), plan.timeoutMs);
      return;
    }
    return json(res, 200, answer);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
