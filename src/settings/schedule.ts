// The operator's settings as plain data, and the schedule's one question: is an edition due at
// this tick? Pure (Intl only, no Cloudflare imports), so the DST tests run anywhere. The cron
// ticks every 10 minutes in UTC; an edition is due at the first tick at or after `sendAt` in the
// operator's time zone, on the chosen weekdays, once per local date, whatever daylight saving does.

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface Settings {
  /** Local send time, HH:MM (24 h). */
  sendAt: string;
  /** IANA time zone name, e.g. Europe/Berlin. */
  timezone: string;
  /** Weekdays an edition goes out. */
  days: Weekday[];
  /** Scheduled builds wait for an operator's approval before sending. */
  review: boolean;
  /** With review: send anyway this many minutes after the build if nobody approved (null: never). */
  reviewDeadlineMinutes: number | null;
  /** Days per-recipient engagement events are kept before they are folded into counts. */
  eventRetentionDays: number;
}

/** HH:MM from 00:00 to 23:59. */
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Why a value is refused, naming the field; null when it is fine. */
export function checkSendAt(v: unknown): string | null {
  return typeof v === "string" && HHMM.test(v) ? null : "sendAt: a time of day as HH:MM from 00:00 to 23:59";
}

/** Whether Intl knows the zone (workerd carries the IANA database). */
export function checkTimezone(v: unknown): string | null {
  if (typeof v !== "string" || v.length === 0 || v.length > 64) return "timezone: an IANA time zone name such as Europe/Berlin";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: v });
    return null;
  } catch {
    return `timezone: ${JSON.stringify(v)} is not an IANA time zone name (e.g. Europe/Berlin, America/New_York, UTC)`;
  }
}

export function checkDays(v: unknown): string | null {
  const ok =
    Array.isArray(v) &&
    v.length > 0 &&
    v.length <= 7 &&
    v.every((d) => (WEEKDAYS as readonly unknown[]).includes(d)) &&
    new Set(v).size === v.length;
  return ok ? null : `days: one or more distinct weekdays of ${WEEKDAYS.join(", ")}`;
}

export function checkRetention(v: unknown): string | null {
  return typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 3650
    ? null
    : "eventRetentionDays: a whole number of days from 1 to 3650";
}

export function checkDeadline(v: unknown): string | null {
  return v === null || (typeof v === "number" && Number.isInteger(v) && v >= 10 && v <= 7 * 24 * 60)
    ? null
    : "reviewDeadlineMinutes: null or a whole number of minutes from 10 to 10080";
}

/** Every problem of a (partial) settings object, each naming its field. */
export function settingsProblems(s: Partial<Record<keyof Settings, unknown>>): string[] {
  const problems: Array<string | null> = [];
  if ("sendAt" in s) problems.push(checkSendAt(s.sendAt));
  if ("timezone" in s) problems.push(checkTimezone(s.timezone));
  if ("days" in s) problems.push(checkDays(s.days));
  if ("review" in s) problems.push(typeof s.review === "boolean" ? null : "review: true or false");
  if ("reviewDeadlineMinutes" in s) problems.push(checkDeadline(s.reviewDeadlineMinutes));
  if ("eventRetentionDays" in s) problems.push(checkRetention(s.eventRetentionDays));
  return problems.filter((p): p is string => p !== null);
}

/** The cron's interval: the schedule is checked every 10 minutes. */
export const TICK_MS = 10 * 60_000;
/**
 * How late a tick may still build the day's edition: missed ticks are caught up, but a deploy or
 * a settings change in the afternoon does not send that morning's edition hours late.
 */
export const CATCH_UP_MINUTES = 180;

/** A local wall-clock reading of an instant in a zone. */
export interface LocalTime {
  /** YYYY-MM-DD in the zone. */
  date: string;
  weekday: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The wall clock in `timezone` at `at`.
 * @example localTime(new Date("2026-03-29T01:00Z"), "Europe/Berlin") // { date: "2026-03-29", weekday: "sun", minutes: 180 }
 */
export function localTime(at: Date, timezone: string): LocalTime {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
      hourCycle: "h23",
    });
    formatters.set(timezone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  const weekday = String(parts.weekday).slice(0, 3).toLowerCase() as Weekday;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** The slot a scheduled edition of a local date is stored under: one per local date, whatever the send time. */
export function scheduledSlot(localDate: string): string {
  return `${localDate}Tscheduled`;
}

/**
 * The slots due at this tick, oldest first: a local date is due on a chosen weekday once its
 * sendAt has passed (by less than CATCH_UP_MINUTES). The caller builds the first that has no
 * record yet, so only the first tick at or after sendAt builds. A send time after the day's last tick (23:55) goes at the first tick
 * after midnight, under the day it belongs to. On a spring-forward day a send time inside the skipped hour is reached by the first
 * tick after the jump; on a fall-back day the repeated hour finds the slot already taken.
 * @example dueSlots(new Date("2026-11-23T06:00Z"), { sendAt: "07:00", timezone: "Europe/Berlin", days: ["mon"] }) // ["2026-11-23Tscheduled"]
 */
export function dueSlots(at: Date, s: Pick<Settings, "sendAt" | "timezone" | "days">): string[] {
  const [h, m] = s.sendAt.split(":").map(Number) as [number, number];
  const now = localTime(at, s.timezone);
  // The previous tick, on the day before: if it was still before sendAt, that day's time was never reached.
  const before = localTime(new Date(at.getTime() - TICK_MS), s.timezone);
  const out: string[] = [];
  if (before.date !== now.date && s.days.includes(before.weekday) && before.minutes < h * 60 + m) out.push(scheduledSlot(before.date));
  const late = now.minutes - (h * 60 + m);
  if (s.days.includes(now.weekday) && late >= 0 && late < CATCH_UP_MINUTES) out.push(scheduledSlot(now.date));
  return out;
}
