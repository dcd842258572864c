// GET /feed.xml: an Atom feed of the latest editions with their full content.
import { Hono } from "hono";
import type { AppEnv } from "../app";
import { listEditions } from "./archive-store";
import { renderAtomFeed } from "../render/feed";
import { sendCached } from "../http/respond";
import { LIST_CACHE } from "./routes";

const FEED_ENTRIES = 20;

export const feed = new Hono<AppEnv>().get("/feed.xml", async (c) => {
  const config = c.get("config");
  const editions = await listEditions(c.env.DB, { limit: FEED_ENTRIES });
  const xml = await renderAtomFeed({ title: config.title, baseUrl: config.baseUrl, author: config.sender.name, editions });
  return sendCached(c, xml, "application/atom+xml; charset=utf-8", { cacheControl: LIST_CACHE });
});
