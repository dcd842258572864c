// Worker entry: wires the HTTP app, the cron trigger and the queue consumer. No logic here.
import { app } from "./app";
import { runScheduled } from "./jobs/scheduled";

export default {
  fetch: app.fetch,
  scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(env, new Date(controller.scheduledTime), controller.cron));
  },
} satisfies ExportedHandler<Env>;
