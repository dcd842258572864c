// Memory across editions in the pure core: story ids stay stable as articles join, a story sent
// before is not sent again, and one that new articles joined comes back as an update with only
// sentences not sent before and only its new sources.
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../src/digest";
import type { RawArticle } from "../../src/digest/types";

const a1: RawArticle = {
  id: "quake-1",
  publisher: "Wire One",
  publishedAt: "2026-11-20T06:00:00Z",
  title: "Earthquake strikes northern Chile near Antofagasta",
  body:
    "A strong earthquake struck northern Chile near Antofagasta on Thursday, shaking buildings in the port city, officials said.\n\n" +
    "The Chilean emergency office said there were no immediate reports of casualties in Antofagasta or Calama.\n\n" +
    "The quake had a magnitude of 6.8 and was centred 40 kilometres east of Antofagasta, the seismology centre said.",
  format: "text",
};
const a2: RawArticle = {
  id: "quake-2",
  publisher: "Wire Two",
  publishedAt: "2026-11-21T06:00:00Z",
  title: "Chile earthquake: Antofagasta counts damage as aftershocks continue",
  body:
    "Residents of Antofagasta in northern Chile counted the damage on Friday after Thursday's earthquake, as aftershocks shook Calama.\n\n" +
    "The Chilean emergency office said two hundred homes in Antofagasta were damaged and three people were injured.\n\n" +
    "The quake had a magnitude of 6.8 and was centred 40 kilometres east of Antofagasta, the seismology centre said.",
  format: "text",
};
const b1: RawArticle = {
  id: "budget-1",
  publisher: "Wire One",
  publishedAt: "2026-11-20T07:00:00Z",
  title: "Norway's parliament passes the 2027 budget",
  body:
    "Norway's parliament passed the 2027 budget in Oslo on Thursday after the Labour government won the support of the Centre Party.\n\n" +
    "Finance minister Jens Stoltenberg said the budget would cut electricity taxes for households in Oslo and Bergen.",
  format: "text",
};

describe("memory across editions", () => {
  it("keeps a story's id when articles join it: the id of its earliest article", () => {
    const alone = buildDigest([a1, b1], { date: "2026-11-20" }).digest.stories;
    const joined = buildDigest([a1, b1, a2], { date: "2026-11-21" }).digest.stories;
    const quake = (ss: typeof alone) => ss.find((s) => s.sources.some((x) => x.id === "quake-1"))!;
    expect(quake(joined).sources.map((s) => s.id)).toEqual(["quake-1", "quake-2"]);
    expect(quake(joined).id).toBe(quake(alone).id);
    expect(alone.every((s) => s.update === false)).toBe(true);
  });

  it("leaves out a story sent before, and brings a continued one back as an update of only what is new", () => {
    const day1 = buildDigest([a1, b1], { date: "2026-11-20" });
    expect(day1.memory).toHaveLength(2);
    const quakeDay1 = day1.digest.stories.find((s) => s.sources[0]!.id === "quake-1")!;
    const day2 = buildDigest([a1, b1, a2], { date: "2026-11-21", memory: day1.memory });
    expect(day2.digest.stories).toHaveLength(1);
    const update = day2.digest.stories[0]!;
    expect(update).toMatchObject({ id: quakeDay1.id, update: true });
    expect(update.sources.map((s) => s.id)).toEqual(["quake-2"]);
    for (const sentence of update.summary) expect(quakeDay1.summary).not.toContain(sentence);
    expect(update.summary.length).toBeGreaterThan(0);
    // Remembered articles are context: the edition's own articles are the new ones only.
    expect(day2.articles.map((a) => a.id)).toEqual(["quake-2"]);
    // The memory it hands on holds every article and every sentence sent so far.
    expect(day2.memory![0]).toEqual({
      id: quakeDay1.id,
      articleIds: ["quake-1", "quake-2"],
      sentences: [...quakeDay1.summary, ...update.summary],
    });
    // Nothing new: nothing to send.
    const day3 = buildDigest([a1, b1, a2], { date: "2026-11-22", memory: [...day1.memory!, ...day2.memory!].reverse() });
    expect(day3.digest.stories).toEqual([]);
  });
});

describe("updates", () => {
  it("link back to the edition that first carried the story, as the memory tells it", () => {
    const day1 = buildDigest([a1, b1], { date: "2026-11-20" });
    const memory = day1.memory!.map((m) => ({ ...m, firstEdition: "edition-1" }));
    const day2 = buildDigest([a1, b1, a2], { date: "2026-11-21", memory });
    expect(day2.digest.stories[0]).toMatchObject({ update: true, firstEdition: "edition-1" });
    expect(day2.memory![0]!.firstEdition).toBe("edition-1");
    // A story new in this edition names no earlier one.
    expect(day1.digest.stories.every((s) => s.firstEdition === undefined)).toBe(true);
  });
});
