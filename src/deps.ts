// The one way dependencies reach the services and jobs: the database, the checked config, the
// clock, the mail transport, the deliveries queue and where the digest comes from. Production
// builds them from the Worker's env; tests override a few (a fixed clock, a recording queue,
// a transport pointed at the fake provider, a digest with chosen stories).
import { getConfig, type Config } from "./config";
import type { Producer } from "./delivery/messages";
import type { DigestResult } from "./digest";
import { currentDigest, type DigestContext } from "./editions/current-digest";
import { mailTransport, type MailPurpose } from "./mail";
import type { MailTransport } from "./mail/types";

/** Where an edition's digest comes from: by default, what is stored as new as of `now`, with memory. */
export type DigestSource = (config: Config, now: Date, ctx: DigestContext) => Promise<DigestResult>;

export interface Deps {
  db: D1Database;
  config: Config;
  clock: () => Date;
  /** The transport for a kind of mail (confirmations may go another way than digests). */
  mail: (purpose: MailPurpose) => MailTransport;
  queue: Producer;
  digest: DigestSource;
}

/** What a caller (a test, the bench) may replace. */
export interface DepsOverrides {
  clock?: () => Date;
  /** One transport for every kind of mail. */
  transport?: MailTransport;
  queue?: Producer;
  digest?: DigestSource;
}

/** What needs no configuration: the sweep keeps running on it while a configuration error stops the rest. */
export type BaseDeps = Pick<Deps, "db" | "clock" | "queue">;

/**
 * The configuration-free dependencies for this env, with any overrides.
 * @example const { db, queue, clock } = makeBaseDeps(env);
 */
export function makeBaseDeps(env: Env, overrides: Pick<DepsOverrides, "clock" | "queue"> = {}): BaseDeps {
  return {
    db: env.DB,
    clock: overrides.clock ?? (() => new Date()),
    // The binding's generated type is Queue<unknown>; the pipeline only ever sends DeliveryMessages.
    queue: overrides.queue ?? (env.DELIVERIES as Producer),
  };
}

/**
 * The dependencies for this env, with any overrides; throws ConfigError when the config is unusable.
 * @example const deps = makeDeps(env, { queue: new RecordingQueue(), clock: () => new Date("2026-11-23T07:00Z") });
 */
export function makeDeps(env: Env, overrides: DepsOverrides = {}): Deps {
  const config = getConfig(env);
  const { transport } = overrides;
  return {
    ...makeBaseDeps(env, overrides),
    config,
    mail: transport ? () => transport : (purpose) => mailTransport(env, config, purpose),
    digest: overrides.digest ?? currentDigest,
  };
}
