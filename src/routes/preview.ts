// GET /preview: the digest of what the sources hold now, exactly as the email renders it.
import { Hono } from "hono";
import type { AppEnv } from "../app";
import { currentDigest } from "../jobs/current-digest";
import { renderEmail } from "../render/email";

export const preview = new Hono<AppEnv>().get("/preview", async (c) => {
  const config = c.get("config");
  const { digest } = await currentDigest(config, new Date());
  const format = c.req.query("format") ?? "html";
  if (format === "json") return c.json(digest);
  const rendered = renderEmail(digest, { webUrl: `${config.baseUrl}/preview` });
  if (format === "text") return c.text(rendered.text);
  return c.html(rendered.html);
});
