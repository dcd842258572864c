// What the services are given, named in the foundation's types only (the configuration, the
// mail transports, the pure digest, the platform's Queue), so that any layer can name it:
// src/deps.ts builds it from the Worker's env and only the entry points import that. Each
// service takes the narrow part it uses (`Pick<Deps, "db" | "clock">`), and each feature types
// the queue messages it owns (`Producer<ItsMessage>`).
import type { Config } from "./config";
import type { DigestResult } from "./digest";
import type { MailPurpose, MailTransport } from "./mail/types";

/** Most messages one Queue sendBatch call may carry. */
export const QUEUE_SEND_MAX = 100;

/** What a feature needs of a queue producer for its messages: the binding in production, a recorder in tests. */
export type Producer<M = unknown> = Pick<Queue<M>, "send" | "sendBatch">;

/** What a build or the preview asks of the digest source. */
export interface DigestContext {
  db: D1Database;
  /** The slot being built (its own earlier record is not "the previous edition"). */
  slot?: string;
  /** Ignore memory: the newest stored items, whether sent before or not (a forced build). */
  force?: boolean;
  /** For /preview: never empty while anything is stored or the seeds are on. */
  preview?: boolean;
}

/** Where an edition's digest comes from: by default, what is stored as new as of `now`, with memory. */
export type DigestSource = (config: Config, now: Date, ctx: DigestContext) => Promise<DigestResult>;

export interface Deps {
  db: D1Database;
  config: Config;
  clock: () => Date;
  /** The transport for a kind of mail (confirmations may go another way than digests). */
  mail: (purpose: MailPurpose) => MailTransport;
  /** The deliveries queue: every feature's messages travel on it (see src/jobs/queue.ts). */
  queue: Producer;
  digest: DigestSource;
}

/** What needs no configuration: the sweep keeps running on it while a configuration error stops the rest. */
export type BaseDeps = Pick<Deps, "db" | "clock" | "queue">;
