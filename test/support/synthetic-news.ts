// Generated news articles, distinct and deterministic, for tests that need many realistic-length
// articles (storage, incremental ingest) without the shared evaluation data.

const TOWNS = ["Ashford", "Brookvale", "Carrow", "Dunmere", "Eastleigh", "Fenwick", "Glenholt", "Harlow", "Ivybridge", "Kestrel"];
const BODIES = ["city council", "school board", "port authority", "water utility", "transit agency", "county court", "fire service"];
const TOPICS = ["budget", "bridge repair", "ferry timetable", "library hours", "road closure", "housing plan", "flood defences"];
const PEOPLE = ["Dana Whitfield", "Marco Ruiz", "Priya Natarajan", "Owen Castell", "Leah Moran", "Tomas Brandt", "Ines Okafor"];

/** A small seeded generator (mulberry32), so article k is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Article number `k`: about 2,000 characters in six paragraphs, naming its own town, body,
 * topic, spokesperson and figures, so no two articles share their text.
 * @example syntheticArticle(3).id === "news-3"
 */
export function syntheticArticle(k: number): { id: string; text: string } {
  const r = random(k + 1);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const town = pick(TOWNS);
  const body = pick(BODIES);
  const topic = pick(TOPICS);
  const person = pick(PEOPLE);
  const amount = 1 + Math.floor(r() * 900);
  const votes = [3 + Math.floor(r() * 6), Math.floor(r() * 3)];
  const paragraphs = [
    `The ${town} ${body} approved a ${topic} worth ${amount} thousand dollars on meeting number ${k}, ending a debate that had run for ${2 + (k % 9)} weeks.`,
    `${person}, who speaks for the ${body}, said the vote of ${votes[0]} to ${votes[1]} reflected what residents had asked for at ${3 + (k % 7)} public hearings.`,
    `Work on the ${topic} is expected to start within ${1 + (k % 11)} months, and officials said contractors would be chosen by an open tender.`,
    `Critics in ${town} argued that the cost of ${amount} thousand dollars was too high, and ${10 + (k % 40)} residents signed a letter opposing the plan.`,
    `The ${body} said it would publish a progress report every ${1 + (k % 4)} months, and that the first would cover spending on the ${topic} in detail.`,
    `Record ${k}: the minutes of the meeting, including each member's vote, are available from the ${town} ${body} office.`,
  ];
  return { id: `news-${k}`, text: paragraphs.join("\n\n") };
}
