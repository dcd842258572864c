// The schedule (issue 22, item 8): the 10-minute cron sends at the first tick at or after sendAt
// in the operator's zone, once per local date, across both daylight-saving changes of a year in
// Europe/Berlin and America/New_York; GET/PUT /admin/settings round-trip and refuse what cannot be
// (25:00, Mars/Olympus, a day that is none) with a 422 naming the field.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { SWEEP_CRON } from "../../src/delivery/settings";
import { dueSlots, localTime, type Settings } from "../../src/settings/schedule";
import { resetDelivery } from "../delivery/helpers";

const ALL = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as Settings["days"];

/** Plays the cron every 10 minutes over [from, to) and returns each slot built and the tick that built it. */
function simulate(from: string, to: string, s: Pick<Settings, "sendAt" | "timezone" | "days">): Map<string, string> {
  const built = new Map<string, string>();
  for (let t = Date.parse(from); t < Date.parse(to); t += 10 * 60_000) {
    for (const slot of dueSlots(new Date(t), s)) {
      if (built.has(slot)) continue;
      built.set(slot, new Date(t).toISOString().slice(0, 16));
      break;
    }
  }
  return built;
}

describe("the schedule across daylight-saving changes", () => {
  it("Europe/Berlin, spring forward (29 March 2026): a send time inside the skipped hour goes at the first tick after it", () => {
    const sent = simulate("2026-03-28T00:00Z", "2026-03-30T22:00Z", { sendAt: "02:30", timezone: "Europe/Berlin", days: ALL });
    expect(Object.fromEntries(sent)).toEqual({
      "2026-03-28Tscheduled": "2026-03-28T01:30", // 02:30 CET
      "2026-03-29Tscheduled": "2026-03-29T01:00", // 02:30 does not exist: 03:00 CEST
      "2026-03-30Tscheduled": "2026-03-30T00:30", // 02:30 CEST
    });
    const morning = simulate("2026-03-28T00:00Z", "2026-03-29T22:00Z", { sendAt: "07:00", timezone: "Europe/Berlin", days: ALL });
    expect([...morning.values()]).toEqual(["2026-03-28T06:00", "2026-03-29T05:00"]);
  });

  it("Europe/Berlin, fall back (25 October 2026): a send time in the repeated hour goes once", () => {
    const sent = simulate("2026-10-24T00:00Z", "2026-10-26T00:00Z", { sendAt: "02:30", timezone: "Europe/Berlin", days: ALL });
    expect(Object.fromEntries(sent)).toEqual({
      "2026-10-24Tscheduled": "2026-10-24T00:30", // 02:30 CEST
      "2026-10-25Tscheduled": "2026-10-25T00:30", // the first 02:30 (CEST); 01:30Z is 02:30 CET again: nothing
    });
    const morning = simulate("2026-10-24T00:00Z", "2026-10-26T00:00Z", { sendAt: "07:00", timezone: "Europe/Berlin", days: ALL });
    expect([...morning.values()]).toEqual(["2026-10-24T05:00", "2026-10-25T06:00"]);
  });

  it("America/New_York, spring forward (8 March 2026) and fall back (1 November 2026)", () => {
    const spring = simulate("2026-03-07T05:00Z", "2026-03-09T05:00Z", { sendAt: "02:30", timezone: "America/New_York", days: ALL });
    expect([...spring.values()]).toEqual(["2026-03-07T07:30", "2026-03-08T07:00"]); // 02:30 EST; then 03:00 EDT
    const fall = simulate("2026-10-31T04:00Z", "2026-11-02T05:00Z", { sendAt: "01:30", timezone: "America/New_York", days: ALL });
    expect(Object.fromEntries(fall)).toEqual({
      "2026-10-31Tscheduled": "2026-10-31T05:30", // 01:30 EDT
      "2026-11-01Tscheduled": "2026-11-01T05:30", // the first 01:30 (EDT); 06:30Z is 01:30 EST again: nothing
    });
  });

  it("sends only on the chosen weekdays, and a time after the day's last tick at the first tick after midnight", () => {
    const weekdays = simulate("2026-11-20T00:00Z", "2026-11-24T00:00Z", { sendAt: "07:00", timezone: "UTC", days: ["mon", "fri"] });
    expect([...weekdays.keys()]).toEqual(["2026-11-20Tscheduled", "2026-11-23Tscheduled"]);
    expect(localTime(new Date("2026-11-23T07:00Z"), "UTC").weekday).toBe("mon");
    // Switched on (or deployed) in the afternoon: that morning's edition is not sent hours late.
    const afternoon = simulate("2026-11-20T15:00Z", "2026-11-21T12:00Z", { sendAt: "07:00", timezone: "UTC", days: ALL });
    expect(Object.fromEntries(afternoon)).toEqual({ "2026-11-21Tscheduled": "2026-11-21T07:00" });
    const late = simulate("2026-11-20T00:00Z", "2026-11-21T12:00Z", { sendAt: "23:55", timezone: "UTC", days: ["fri"] });
    expect(Object.fromEntries(late)).toEqual({ "2026-11-20Tscheduled": "2026-11-21T00:00" });
  });
});

const admin = (path: string, init: RequestInit = {}) =>
  exports.default.fetch(
    new Request(`http://localhost${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${env.ADMIN_TOKEN}`,
        "content-type": "application/json",
        ...(init.headers as Record<string, string>),
      },
    }),
  );

async function tick(at: string): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: Date.parse(at), cron: SWEEP_CRON }), env, ctx);
  await waitOnExecutionContext(ctx);
}

beforeEach(async () => {
  await resetDelivery();
  await env.DB.prepare("DELETE FROM settings").run();
});

describe("GET/PUT /admin/settings and the cron", () => {
  it("answers the defaults from wrangler.toml, round-trips a change, and refuses 25:00, Mars/Olympus and a bad day with a 422 naming each", async () => {
    const defaults = await (await admin("/admin/settings")).json();
    expect(defaults).toEqual({
      sendAt: "07:00",
      timezone: "UTC",
      days: ALL,
      review: false,
      reviewDeadlineMinutes: null,
      eventRetentionDays: 90,
    });
    const put = await admin("/admin/settings", {
      method: "PUT",
      body: JSON.stringify({ sendAt: "06:45", timezone: "Europe/Berlin", days: ["mon", "wed", "fri"] }),
    });
    expect(put.status).toBe(200);
    const expected = { ...(defaults as object), sendAt: "06:45", timezone: "Europe/Berlin", days: ["mon", "wed", "fri"] };
    expect(await put.json()).toEqual(expected);
    expect(await (await admin("/admin/settings")).json()).toEqual(expected);

    for (const [change, field] of [
      [{ sendAt: "25:00" }, "sendAt"],
      [{ timezone: "Mars/Olympus" }, "timezone"],
      [{ days: ["mon", "funday"] }, "days"],
      [{ eventRetentionDays: 0 }, "eventRetentionDays"],
    ] as const) {
      const r = await admin("/admin/settings", { method: "PUT", body: JSON.stringify(change) });
      expect(r.status).toBe(422);
      const json = (await r.json()) as { message: string };
      expect(json.message.startsWith(`${field}:`)).toBe(true);
    }
    const both = (await (
      await admin("/admin/settings", { method: "PUT", body: JSON.stringify({ sendAt: "25:00", timezone: "Mars/Olympus" }) })
    ).json()) as {
      problems: string[];
    };
    expect(both.problems.map((p) => p.split(":")[0])).toEqual(["sendAt", "timezone"]);
    const unknown = await admin("/admin/settings", { method: "PUT", body: JSON.stringify({ sendTime: "07:00" }) });
    expect(unknown.status).toBe(422);
    // Nothing of the refused changes was stored.
    expect(await (await admin("/admin/settings")).json()).toEqual(expected);
  });

  it("the 10-minute cron builds and sends the day's edition at the first tick at or after sendAt in the zone, once", async () => {
    await admin("/admin/settings", { method: "PUT", body: JSON.stringify({ sendAt: "08:05", timezone: "Europe/Berlin", days: ALL }) });
    const slots = async () =>
      (await env.DB.prepare("SELECT slot, status FROM editions WHERE slot LIKE '%Tscheduled'").all<{ slot: string; status: string }>())
        .results;
    await tick("2030-01-07T07:00:00Z"); // 08:00 in Berlin: not yet
    expect(await slots()).toEqual([]);
    await tick("2030-01-07T07:10:00Z"); // 08:10: due
    expect(await slots()).toEqual([{ slot: "2030-01-07Tscheduled", status: "built" }]);
    const fanouts = await env.DB.prepare("SELECT COUNT(*) AS n FROM fanouts f JOIN editions e ON e.id = f.edition_id WHERE e.slot = ?")
      .bind("2030-01-07Tscheduled")
      .first<{ n: number }>();
    expect(fanouts!.n).toBe(1);
    await tick("2030-01-07T07:20:00Z");
    await tick("2030-01-07T15:00:00Z");
    expect(await slots()).toHaveLength(1);
  });
});
