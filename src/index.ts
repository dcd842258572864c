// Worker entry: wires the HTTP app, the cron trigger and the queue consumers. No logic here.
import { app } from "./app";
import { handleDeliveryBatch } from "./delivery/consumer";
import { handleDeadLetterBatch } from "./delivery/dead-letter";
import { DEAD_LETTER_QUEUE } from "./delivery/messages";
import { handleScheduled } from "./editions/cron";

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
