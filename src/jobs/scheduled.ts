// The cron handler: freeze the current digest into the edition for this schedule slot.
import { getConfig } from "../config";
import { insertEdition } from "../db/editions";
import { renderEmail } from "../render/email";
import { currentDigest, utcDate } from "./current-digest";

/** A slot is the scheduled minute in UTC; two firings of one cron share it. */
export function slotOf(at: Date): string {
  return at.toISOString().slice(0, 16) + "Z";
}

export async function runScheduled(env: Env, scheduledTime: Date, cron: string): Promise<{ editionId: string; created: boolean }> {
  const config = getConfig(env);
  const { digest, articles } = await currentDigest(config, scheduledTime);
  const id = utcDate(scheduledTime);
  const rendered = renderEmail(digest, { webUrl: `${config.baseUrl}/editions/${id}` });
  const result = await insertEdition(env.DB, {
    id,
    slot: slotOf(scheduledTime),
    title: digest.title,
    date: digest.date,
    contentHash: digest.stories.map((s) => s.id).join(","),
    digest,
    articles,
    html: rendered.html,
    text: rendered.text,
    createdAt: new Date().toISOString(),
  });
  console.log(JSON.stringify({ event: "edition_build", cron, slot: slotOf(scheduledTime), editionId: result.id, created: result.created, stories: digest.stories.length }));
  return { editionId: result.id, created: result.created };
}
