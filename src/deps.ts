// The composition root, imported by the entry points only (src/index.ts, src/app.ts, src/jobs/):
// the one way dependencies reach the services and jobs: the database, the checked config, the
// clock, the mail transport, the deliveries queue and where the digest comes from. Production
// builds them from the Worker's env; tests override a few (a fixed clock, a recording queue,
// a transport pointed at the fake provider, a digest with chosen stories).
import { getConfig } from "./config";
import { currentDigest } from "./editions/current-digest";
import { mailTransport } from "./mail";
import type { MailTransport } from "./mail/types";
import type { BaseDeps, Deps, DigestSource, Producer } from "./ports";

export type { BaseDeps, Deps, DigestSource };

/** What a caller (a test, the bench) may replace. */
export interface DepsOverrides {
  clock?: () => Date;
  /** One transport for every kind of mail. */
  transport?: MailTransport;
  queue?: Producer;
  digest?: DigestSource;
}

/**
 * The configuration-free dependencies for this env, with any overrides.
 * @example const { db, queue, clock } = makeBaseDeps(env);
 */
export function makeBaseDeps(env: Env, overrides: Pick<DepsOverrides, "clock" | "queue"> = {}): BaseDeps {
  return {
    db: env.DB,
    clock: overrides.clock ?? (() => new Date()),
    queue: overrides.queue ?? env.DELIVERIES,
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
