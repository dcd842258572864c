// A real local HTTP server that plays Resend's email API (POST /emails, POST /emails/batch) for
// tests and benchmarks, since the real provider cannot be reached offline. It can be told to fail
// (500, 429 with Retry-After, a timeout after accepting the mail, or account-wide refusals: 401,
// 403, an unverified domain), and it honours Idempotency-Key the way Resend documents it: a
// repeated key with the same payload returns the first answer and sends nothing twice; the same
// key with a different payload is a 409. Like Resend, it checks the API key before anything else
// (no key: 401 missing_api_key; a wrong one: 403 invalid_api_key) and remembers no key then.
//
// Control endpoints (used by tests from inside workerd over plain fetch), per scope (see below):
//   GET  /__emails[?scope=S]   -> { emails: AcceptedEmail[], calls }
//   POST /__control            <- { scope?: S, ...Partial<FaultPlan> }
//   POST /__reset[?scope=S]    -> clears that scope's emails, idempotency memory and faults
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
  /** The first this many calls of the scope fail (modes in turn), whatever failRate says: a storm. */
  failFirst: number;
  /** Retry-After of a 429, seconds. */
  retryAfter: number;
  /**
   * Refuse the whole account, every call, before idempotency: "401" (revoked key), "403"
   * (invalid key), "unverified" (403: the sending domain is not verified). "" for none.
   */
  accountError: "" | "401" | "403" | "unverified";
}

const defaults: FaultPlan = {
  failRate: 0,
  modes: ["500", "429", "timeout"],
  timeoutMs: 3000,
  seed: 1,
  rejectPattern: "^invalid",
  failFirst: 0,
  retryAfter: 1,
  accountError: "",
};

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

/** Everything one test scope sees: its own fault plan, failure sequence, mail and idempotency memory. */
interface Scope {
  plan: FaultPlan;
  rng: number;
  calls: number;
  emails: AcceptedEmail[];
  remembered: Map<string, { payload: string; status: number; body: unknown }>;
}

const newScope = (plan: Partial<FaultPlan> = {}): Scope => {
  const p = { ...defaults, ...plan };
  return { plan: p, rng: p.seed, calls: 0, emails: [], remembered: new Map() };
};

const inDomain = (domain: string, scope: string) => domain === scope || domain.endsWith(`.${scope}`);

/** The recipient domain of the first email in a request body, if any. */
function firstDomain(parsed: unknown): string {
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  const to = first && typeof first === "object" ? (first as Record<string, unknown>).to : undefined;
  const addr = String(Array.isArray(to) ? to[0] : (to ?? ""));
  return addr.slice(addr.lastIndexOf("@") + 1).toLowerCase();
}

/**
 * Starts the fake on 127.0.0.1 with an ephemeral port.
 *
 * Test files run in parallel against one fake, so state is kept per scope: a scope is a
 * recipient domain suffix (e.g. "delivery.test") registered with POST /__control {scope, ...plan};
 * requests whose first recipient is in that domain use that scope's plan, mail list and
 * idempotency memory. `?scope=` on /__emails and /__reset limits them to one scope.
 */
export async function startFakeResend(apiKey = "re_test_key"): Promise<FakeResend> {
  const scopes = new Map<string, Scope>([["", newScope()]]);
  let nextId = 1;

  const scopeFor = (domain: string): Scope => {
    let best = "";
    for (const name of scopes.keys()) {
      if (name && inDomain(domain, name) && name.length > best.length) best = name;
    }
    return scopes.get(best)!;
  };

  // Deterministic LCG so a failing run can be replayed with the same seed.
  const random = (scope: Scope) => {
    scope.rng = (scope.rng * 1103515245 + 12345) % 2147483648;
    return scope.rng / 2147483648;
  };

  const accept = (scope: Scope, raw: Record<string, unknown>, key: string | undefined): { id: string } => {
    const id = `fake_${nextId++}`;
    const to = Array.isArray(raw.to) ? (raw.to as string[]) : [String(raw.to)];
    scope.emails.push({
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
    // A client that gives up mid-request (the timeout faults) aborts the body: nothing to answer.
    const body = await readBody(req).catch(() => null);
    if (body === null) return;
    const [path = "/", query = ""] = (req.url ?? "/").split("?");
    const scopeParam = new URLSearchParams(query).get("scope");
    if (req.method === "GET" && path === "/__emails") {
      // Filter by recipient domain, whether or not the scope had a plan when the mail came in.
      const inScope = (e: AcceptedEmail) =>
        scopeParam === null || e.to.some((t) => inDomain(t.slice(t.lastIndexOf("@") + 1).toLowerCase(), scopeParam));
      const all = [...scopes.values()];
      return json(res, 200, {
        emails: all.flatMap((x) => x.emails).filter(inScope),
        calls: (scopeParam === null ? all : [scopes.get(scopeParam) ?? newScope()]).reduce((n, x) => n + x.calls, 0),
      });
    }
    if (req.method === "POST" && path === "/__control") {
      const { scope: name = "", ...plan } = JSON.parse(body || "{}") as Partial<FaultPlan> & { scope?: string };
      const scope = scopes.get(name);
      if (scope) {
        scope.plan = { ...scope.plan, ...plan };
        scope.rng = scope.plan.seed;
        // A new storm counts from the next call.
        if (plan.failFirst !== undefined) scope.plan.failFirst = scope.calls + plan.failFirst;
      } else {
        scopes.set(name, newScope(plan));
      }
      return json(res, 200, scopes.get(name)!.plan);
    }
    if (req.method === "POST" && path === "/__reset") {
      if (scopeParam !== null) {
        scopes.set(scopeParam, newScope());
        // Mail to this domain that arrived before the scope existed sits in the global scope.
        const global = scopes.get("")!;
        global.emails = global.emails.filter((e) => !e.to.some((t) => inDomain(t.slice(t.lastIndexOf("@") + 1).toLowerCase(), scopeParam)));
      } else {
        scopes.clear();
        scopes.set("", newScope());
      }
      return json(res, 200, { ok: true });
    }
    if (req.method !== "POST" || (path !== "/emails" && path !== "/emails/batch")) {
      return json(res, 404, { statusCode: 404, name: "not_found", message: "Route not found" });
    }
    const auth = req.headers.authorization ?? "";
    if (!/^Bearer \S/.test(auth))
      return json(res, 401, { statusCode: 401, name: "missing_api_key", message: "Missing API key in the authorization header" });
    if (auth !== `Bearer ${apiKey}`) return json(res, 403, { statusCode: 403, name: "invalid_api_key", message: "API key is invalid" });
    let parsed: unknown;
    let parseFailed = false;
    try {
      parsed = JSON.parse(body);
    } catch {
      parseFailed = true;
    }
    const scope = scopeFor(firstDomain(parsed));
    const { plan } = scope;
    scope.calls++;
    if (plan.accountError === "401")
      return json(res, 401, { statusCode: 401, name: "restricted_api_key", message: "This API key is restricted or was revoked" });
    if (plan.accountError === "403") return json(res, 403, { statusCode: 403, name: "invalid_api_key", message: "API key is invalid" });
    if (plan.accountError === "unverified") {
      return json(res, 403, {
        statusCode: 403,
        name: "validation_error",
        message: "The example.com domain is not verified. Please, add and verify your domain on https://resend.com/domains",
      });
    }
    const key = req.headers["idempotency-key"] as string | undefined;
    const memoKey = key ? `${path} ${key}` : undefined;
    if (memoKey && scope.remembered.has(memoKey)) {
      const prior = scope.remembered.get(memoKey)!;
      if (prior.payload !== body) {
        return json(res, 409, {
          statusCode: 409,
          name: "invalid_idempotent_request",
          message: "Same idempotency key used with a different payload",
        });
      }
      return json(res, prior.status, prior.body);
    }

    const storm = scope.calls <= plan.failFirst;
    const fault = random(scope) < plan.failRate || storm ? plan.modes[scope.calls % plan.modes.length] : undefined;
    if (fault === "500") return json(res, 500, { statusCode: 500, name: "internal_server_error", message: "Injected failure" });
    if (fault === "429")
      return json(
        res,
        429,
        { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests" },
        { "retry-after": String(plan.retryAfter) },
      );

    if (parseFailed) return json(res, 422, { statusCode: 422, name: "validation_error", message: "Body is not JSON" });
    const items = path === "/emails/batch" ? parsed : [parsed];
    if (!Array.isArray(items) || items.length === 0 || items.length > 100) {
      return json(res, 422, { statusCode: 422, name: "validation_error", message: "A batch holds 1 to 100 emails" });
    }
    const reject = new RegExp(plan.rejectPattern);
    for (const item of items as Record<string, unknown>[]) {
      const to = Array.isArray(item.to) ? item.to : [item.to];
      if (to.some((t) => reject.test(String(t)))) {
        const answer = { statusCode: 422, name: "validation_error", message: `Invalid \`to\` field: ${to.join(", ")}` };
        if (memoKey) scope.remembered.set(memoKey, { payload: body, status: 422, body: answer });
        return json(res, 422, answer);
      }
    }
    const ids = (items as Record<string, unknown>[]).map((item) => accept(scope, item, key));
    const answer = path === "/emails/batch" ? { data: ids } : ids[0];
    if (memoKey) scope.remembered.set(memoKey, { payload: body, status: 200, body: answer });
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
