// The Atom feed of the latest editions with their full content, mounted at /feed.xml.
import { sendCached } from "../http/cache";
import { factory } from "../http/env";
import { CACHE } from "../http/policy";
import { renderAtomFeed } from "../render/feed";
import { recentEditions } from "./service";

const FEED_ENTRIES = 20;

export const feed = factory.createApp().get("/", async (c) => {
  const { config, deps } = c.var;
  const editions = await recentEditions(deps, FEED_ENTRIES);
  const xml = await renderAtomFeed({ title: config.title, baseUrl: config.baseUrl, author: config.sender.name, editions });
  return sendCached(c, xml, "application/atom+xml; charset=utf-8", { cacheControl: CACHE.list });
});
