// Worker entry: wires the HTTP app, the cron trigger and the queue consumers. No logic here.
import { app } from "./app";
import { handleDeliveryBatch } from "./jobs/consumer";
import { handleDeadLetterBatch } from "./jobs/dead-letter";
import { DEAD_LETTER_QUEUE } from "./jobs/messages";
import { handleScheduled } from "./jobs/scheduled";

export default {
  fetch: app.fetch,
  scheduled(controller, env, ctx) {
    ctx.waitUntil(handleScheduled(env, new Date(controller.scheduledTime), controller.cron));
  },
  async queue(batch, env) {
    if (batch.queue === DEAD_LETTER_QUEUE) await handleDeadLetterBatch(batch, env);
    else await handleDeliveryBatch(batch, env);
  },
} satisfies ExportedHandler<Env>;
