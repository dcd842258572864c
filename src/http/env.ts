// The app's Hono environment and the factory every route module is made with.
import { createFactory } from "hono/factory";
import type { Config } from "../config";
import type { Deps } from "../ports";

export type AppEnv = {
  Bindings: Env;
  Variables: {
    /** The checked vars and secrets (set once per request by the app). */
    config: Config;
    /** What the services need, built from the env by src/deps.ts (the type: src/ports.ts). */
    deps: Deps;
    /** Set by a route group that answers one way only (the admin API: "json"). */
    answer?: "json";
  };
};

/**
 * Route modules and middleware are made with this, so they share AppEnv without importing the app.
 * @example export const feed = factory.createApp().get("/", (c) => c.text("..."));
 */
export const factory = createFactory<AppEnv>();
