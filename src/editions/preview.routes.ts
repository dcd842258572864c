// GET /preview: the digest of what the sources hold now, exactly as the email renders it (with
// placeholder links), or its plain-text part (?format=text) or the Digest itself (?format=json).
// It is what a build now would contain (./next.ts, rendered by ./preview.ts); when nothing is
// new, the latest edition under a notice saying so. Preview-Status names which: would-build or
// nothing-new.
import * as z from "zod/mini";
import { sendCached } from "../http/cache";
import { factory } from "../http/env";
import { CACHE, EMAIL_CSP } from "../http/policy";
import { query } from "../http/validate";
import { currentPreview, type Preview } from "./preview";

const FORMATS = {
  html: { type: "text/html; charset=utf-8", body: (p: Preview) => p.html },
  text: { type: "text/plain; charset=utf-8", body: (p: Preview) => p.text },
  json: { type: "application/json; charset=utf-8", body: (p: Preview) => p.json },
} as const;

const previewQuery = z.object({ format: z._default(z.enum(["html", "text", "json"]), "html") });

export const preview = factory
  .createApp()
  .get("/", query(previewQuery, [400, "Unknown format", "format must be html, text or json."]), async (c) => {
    const { format } = c.req.valid("query");
    const f = FORMATS[format];
    const p = await currentPreview(c.var.deps);
    return sendCached(c, f.body(p), f.type, {
      cacheControl: CACHE.preview,
      etag: `${p.etag.slice(0, -1)}-${format}"`,
      headers: { Vary: "Accept-Encoding", "Content-Security-Policy": EMAIL_CSP, "Preview-Status": p.status },
    });
  });
