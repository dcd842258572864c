// Bench-only Worker for bench/delivery.bench.ts (config: test/delivery-bench.wrangler.toml):
// drives the real fan-out and consumer inside local workerd and counts every D1 and Queue call
// they make, independently of the code's own subrequest budget.
//   POST /setup    {migrations: string[], subscribers: n}  schema + n active subscribers
//   POST /fanout   {editionId, html}                       edition row + fan-out, run to the end
//   POST /consume  {editionId, batches: n, resendUrl}      consumer over n send messages
import { getConfig } from "../src/config";
import { SubrequestBudget } from "../src/delivery/budget";
import { handleDeliveryBatch } from "../src/jobs/queue";
import { runFanout, startSend } from "../src/delivery/fanout";
import { sendUnit, type DeliveryMessage, type Producer } from "../src/delivery/messages";
import { resendTransport } from "../src/mail/resend";

interface Counter {
  d1: number;
  queue: number;
}

/** A D1Database whose every call (run/all/first/raw/batch/exec) is counted. */
function countingDb(db: D1Database, counter: Counter): D1Database {
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const proxy = {
      bind: (...args: unknown[]) => wrap(stmt.bind(...args)),
      run: (...a: []) => (counter.d1++, stmt.run(...a)),
      all: (...a: []) => (counter.d1++, stmt.all(...a)),
      first: (col?: string) => (counter.d1++, col === undefined ? stmt.first() : stmt.first(col)),
      raw: (...a: []) => (counter.d1++, stmt.raw(...a)),
    } as unknown as D1PreparedStatement;
    real.set(proxy, stmt);
    return proxy;
  };
  return {
    prepare: (q: string) => wrap(db.prepare(q)),
    batch: (stmts: D1PreparedStatement[]) => (counter.d1++, db.batch(stmts.map((s) => real.get(s) ?? s))),
    exec: (q: string) => (counter.d1++, db.exec(q)),
  } as unknown as D1Database;
}

function countingQueue(queue: Queue, counter: Counter): Producer {
  return {
    send: (body, opts) => (counter.queue++, queue.send(body, opts)),
    sendBatch: (msgs, opts) => (counter.queue++, queue.sendBatch(msgs, opts)),
  } as Producer;
}

async function setup(env: Env, body: { migrations: string[]; subscribers: number }): Promise<Response> {
  for (const sql of body.migrations) await env.DB.exec(sql.replace(/--[^\n]*/g, "").replace(/\s*\n\s*/g, " "));
  const now = new Date().toISOString();
  // One statement per 20,000 keeps each well inside D1's statement limits.
  for (let from = 0; from < body.subscribers; from += 20_000) {
    const n = Math.min(20_000, body.subscribers - from);
    await env.DB.prepare(
      `WITH RECURSIVE seq(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?2)
       INSERT INTO subscribers (email, status, source, requested_at, created_at, updated_at)
       SELECT 'reader' || i || '@bench.example', 'active', 'bench', ?3, ?3, ?3 FROM seq`,
    )
      .bind(from + 1, from + n, now)
      .run();
  }
  return Response.json(await env.DB.prepare("SELECT COUNT(*) AS n FROM subscribers WHERE status = 'active'").first());
}

async function createEdition(env: Env, id: string, html: string): Promise<void> {
  await env.DB.prepare(
    `INSERT OR IGNORE INTO editions (id, slot, status, title, subject, edition_date, story_ids, digest_json, articles_json,
       html, text, created_at)
     VALUES (?1, ?1, 'built', 'The Daily Digest', 'The Daily Digest: bench', '2026-11-23', '[]', '{"stories":[]}', '[]', ?2, ?3, ?4)`,
  )
    .bind(
      id,
      html,
      `Text part. Unsubscribe: %%UNSUBSCRIBE_URL%%\n${"A story sentence in the plain-text part.\n".repeat(200)}`,
      new Date().toISOString(),
    )
    .run();
}

async function fanout(env: Env, body: { editionId: string; html: string }): Promise<Response> {
  await createEdition(env, body.editionId, body.html);
  const counter: Counter = { d1: 0, queue: 0 };
  const db = countingDb(env.DB, counter);
  const queue = countingQueue(env.DELIVERIES as unknown as Queue, counter);
  const started = Date.now();
  await startSend(db, queue, body.editionId);
  const startCost = { ...counter };
  // Each runFanout is what one consumer invocation does with its own budget; count them all.
  const invocations: Array<{ outcome: string; d1: number; queue: number; budget: number; messages: number }> = [];
  for (let i = 0; i < 20; i++) {
    const before = { ...counter };
    const budget = new SubrequestBudget();
    const run = await runFanout(db, queue, body.editionId, budget);
    invocations.push({
      outcome: run.outcome,
      d1: counter.d1 - before.d1,
      queue: counter.queue - before.queue,
      budget: budget.used,
      messages: run.messages,
    });
    if (run.outcome !== "handed-on") break;
  }
  const ms = Date.now() - started;
  const deliveries = await env.DB.prepare("SELECT COUNT(*) AS n, MAX(batch_no) + 1 AS batches FROM deliveries WHERE edition_id = ?")
    .bind(body.editionId)
    .first();
  return Response.json({ ms, start: startCost, invocations, deliveries });
}

async function consume(env: Env, body: { editionId: string; batches: number; resendUrl: string }): Promise<Response> {
  const config = getConfig(env);
  const transport = resendTransport({ baseUrl: body.resendUrl, apiKey: config.resend.apiKey });
  const settled = { acked: 0, retried: 0 };
  const messages = Array.from({ length: body.batches }, (_, i) => ({
    id: `bench-${i}`,
    timestamp: new Date(),
    attempts: 1,
    body: sendUnit(body.editionId, i, "") as DeliveryMessage,
    ack: () => void settled.acked++,
    retry: () => void settled.retried++,
  }));
  const started = Date.now();
  let sent = 0;
  // Consumer invocations of 10 messages, as wrangler.toml configures.
  for (let i = 0; i < messages.length; i += 10) {
    const batch = {
      queue: "newsletter-deliveries",
      messages: messages.slice(i, i + 10),
      ackAll() {},
      retryAll() {},
    } as unknown as MessageBatch<unknown>;
    const summary = await handleDeliveryBatch(batch, env, { transport, queue: env.DELIVERIES as unknown as Producer });
    sent += summary.sent;
  }
  return Response.json({ ms: Date.now() - started, sent, ...settled });
}

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    const url = new URL(req.url);
    const body = (await req.json()) as never;
    if (url.pathname === "/setup") return setup(env, body);
    if (url.pathname === "/fanout") return fanout(env, body);
    if (url.pathname === "/consume") return consume(env, body);
    return new Response("not found", { status: 404 });
  },
} satisfies ExportedHandler<Env>;
