// Publishing a slot: ingest the sources, build the slot's edition, then start sending it. The
// cron (src/jobs/scheduled.ts) and `POST /admin/editions` both come here: the one place that
// calls sources, editions and delivery in turn, so none of them imports another's service.
import { sendEdition, type SendStart } from "../delivery/service";
import { fanoutWithEdition } from "../delivery/store";
import { buildEdition, slotTime, type BuildOptions } from "../editions/build";
import { getSlot } from "../editions/store";
import type { BuildResult } from "../editions/types";
import { errorText, log } from "../log";
import type { Deps } from "../ports";
import { ingestSources } from "../sources/ingest";

/**
 * Builds a slot's edition and, when asked and it is built, starts sending it. The cron and
 * `POST /admin/editions` both come here. With send, the fan-out is recorded with the edition
 * (one D1 transaction), so it cannot be stranded; on a repeat run the send is started again
 * (a no-op unless the first run died between build and send).
 * @example const { build, send } = await buildAndSend(deps, { slot: slotOf(now), now, send: true });
 */
export async function buildAndSend(
  deps: Deps,
  opts: Omit<BuildOptions, "alongside"> & { send: boolean },
): Promise<{ build: BuildResult; send: SendStart | null }> {
  const batchSize = deps.config.deliveryBatchSize;
  // A slot in the past is built as if run at its time (replays); ingest first, as of that time.
  const at = slotTime(opts.slot);
  const now = at && at.getTime() < opts.now.getTime() ? at : opts.now;
  if (opts.force || !(await getSlot(deps.db, opts.slot))) {
    // Ingest never stops the edition: a failure here leaves the items stored before.
    await ingestSources(deps, now).catch((e: unknown) => log.error("ingest_failed", { error: errorText(e) }));
  }
  const build = await buildEdition(deps, { ...opts, now, alongside: opts.send ? fanoutWithEdition(batchSize) : undefined });
  if (!opts.send || build.status !== "built") return { build, send: null };
  const started = await sendEdition(deps, build.editionId);
  // The build itself started the fan-out when it created the edition.
  return { build, send: { created: build.created || started.created, state: started.state } };
}
