// Request validation for the routes: body size, media type and well-formedness first, then the
// route's schema through @hono/standard-validator (zod/mini schemas are Standard Schemas). Every
// failure is an HttpError, so it is answered by the one error path in the caller's format.
// Handlers read what passed with `c.req.valid("json")` (JSON and form bodies alike), `"param"`
// or `"query"`.
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { sValidator } from "@hono/standard-validator";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import "../validation";
import type { AppEnv } from "./env";
import { HttpError } from "./errors";
import { mediaType } from "./negotiate";

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/** An error answer: status, title, message. */
export type Refusal = readonly [ContentfulStatusCode, string, string];
const refuse = ([status, title, message]: Refusal) => new HttpError(status, title, message);

/**
 * Refuses bodies over `maxBytes` (by Content-Length, or while streaming one without it).
 * @example route.post("/", limitBody(4096, [413, "Payload too large", "At most 4 KB."]), ...)
 */
export function limitBody(maxBytes: number, tooLarge: Refusal) {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw refuse(tooLarge);
    },
  });
}

export interface BodyPolicy {
  /** The body kinds a route reads. */
  accept: ReadonlyArray<"json" | "form">;
  /**
   * When a body counts as no fields (`{}`): "blank" for an empty body of any type (the admin
   * API), "untyped" for a request without a Content-Type (a button POST with the token in the
   * query), "always" for anything not read or unreadable (RFC 8058 one-click POSTs from mail
   * providers, whatever they send).
   */
  noFields?: "blank" | "untyped" | "always";
  unsupported: Refusal;
  unreadable: Refusal;
  badJson: Refusal;
  badForm?: Refusal;
  /** The answer when the schema refuses the fields. */
  invalid: (issues: readonly StandardSchemaV1.Issue[]) => Refusal;
}

type Fields<S extends StandardSchemaV1> = {
  in: { json: StandardSchemaV1.InferInput<S> };
  out: { json: StandardSchemaV1.InferOutput<S> };
};

/**
 * Reads a JSON or form body by its media type and validates its fields with `schema`.
 * @example route.post("/", body(signupSchema, SIGNUP_BODY), (c) => c.req.valid("json").email)
 */
export function body<S extends StandardSchemaV1>(schema: S, policy: BodyPolicy) {
  const lenient = policy.noFields === "always";
  const hook = (result: { success: boolean; error?: readonly StandardSchemaV1.Issue[] }) => {
    if (!result.success) throw lenient ? new NoFields() : refuse(policy.invalid(result.error ?? []));
  };
  const json = sValidator("json", schema, hook);
  const form = sValidator("form", schema, hook);
  return createMiddleware<AppEnv, string, Fields<S>>(async (c, next) => {
    const none = async () => {
      c.req.addValidatedData("json", {});
      await next();
    };
    const type = mediaType(c);
    let validate: (() => Promise<unknown>) | undefined;
    if (policy.noFields === "blank" && (await c.req.text().catch(() => "")).trim() === "") return none();
    if (type === "application/json" && policy.accept.includes("json")) {
      // Read and parse here for our own answers; the validator then parses the cached text.
      const text = await c.req.text().catch(() => null);
      let ok = text !== null;
      try {
        if (ok) JSON.parse(text!);
      } catch {
        ok = false;
      }
      if (!ok && lenient) return none();
      if (text === null) throw refuse(policy.unreadable);
      if (!ok) throw refuse(policy.badJson);
      validate = () => json(c as never, next);
    } else if (FORM_TYPES.has(type) && policy.accept.includes("form")) {
      try {
        await c.req.parseBody(); // caches the FormData the validator reads
      } catch {
        if (lenient) return none();
        throw refuse(policy.badForm ?? policy.unreadable);
      }
      validate = () =>
        form(c as never, async () => {
          c.req.addValidatedData("json", c.req.valid("form" as never) as object);
          await next();
        });
    } else if (lenient || (policy.noFields === "untyped" && type === "")) {
      return none();
    } else {
      throw refuse(policy.unsupported);
    }
    try {
      await validate();
    } catch (err) {
      // Only the hook throws NoFields, before the handler ran.
      if (err instanceof NoFields) return none();
      throw err;
    }
  });
}

/** A lenient body whose fields do not fit: it counts as no fields. */
class NoFields extends Error {}

/**
 * Validates the route's path parameters; anything else is answered with `invalid`.
 * @example route.get("/:id", param(z.object({ id: editionId }), [404, "Not found", "No such edition."]), ...)
 */
export function param<S extends StandardSchemaV1>(schema: S, invalid: Refusal) {
  return sValidator("param", schema, (result) => {
    if (!result.success) throw refuse(invalid);
  });
}

/**
 * Validates the query string (a name given twice arrives as an array).
 * @example route.get("/", query(z.object({ format: z.enum(["html", "json"]) }), [400, "Unknown format", "..."]), ...)
 */
export function query<S extends StandardSchemaV1>(schema: S, invalid: Refusal) {
  return sValidator("query", schema, (result) => {
    if (!result.success) throw refuse(invalid);
  });
}
