// Multi-source selection without ../shared: three made-up outlets on one bridge closure. The fact
// all three tell (inspectors found cracks, the bridge closed) is said once; the summary opens on
// the lead of the source most central to the story; the rest follows in reading order.
import { describe, expect, it } from "vitest";
import { type Candidate, candidatesOf, DEFAULT_MULTI, leansOnContext, summarizeMulti } from "../../src/digest/summarize";

const outletA = [
  "Residents of Millbrook packed the town hall on Monday evening for a meeting about traffic and parking downtown.",
  "Inspectors found deep cracks in the steel beams of the Elm Street bridge, and the council closed the bridge to all traffic.",
  "Detour signs will send drivers through the industrial park on the east side of town for at least six months.",
];
const outletB = [
  "The Millbrook council closed the Elm Street bridge after inspectors found deep cracks in its steel beams.",
  "Engineers told the council that repairing the steel beams would cost about four million dollars.",
];
const outletC = [
  "Inspectors found deep cracks in the steel beams of the Elm Street bridge in Millbrook, which the council closed.",
  "School buses will take the detour through the industrial park while the bridge is repaired.",
];
const cracks = /cracks/;

function story(): Candidate[] {
  return [...candidatesOf(outletA, 0), ...candidatesOf(outletB, 1), ...candidatesOf(outletC, 2)];
}
const opts = { maxSentences: 3, maxWords: 90 };

describe("summarizeMulti", () => {
  it("says a fact told by three sources once", () => {
    const picked = summarizeMulti(story(), opts).map((c) => c.text);
    expect(picked.length).toBeGreaterThanOrEqual(2);
    expect(picked.filter((t) => cracks.test(t))).toHaveLength(1);
    // The overlap rule is what keeps the retelling out: without it the second outlet's lead is picked too.
    const off = summarizeMulti(story(), opts, { ...DEFAULT_MULTI, maxOverlap: 1 }).map((c) => c.text);
    expect(off.filter((t) => cracks.test(t)).length).toBeGreaterThan(1);
  });

  it("opens on the lead of the most central source, not on the earliest source's lead", () => {
    // Outlet A's lead (the town-hall meeting) is the earliest but shares little with the others;
    // the lead that states what the sources say in common is outlet B's or C's.
    for (const o of [opts, { maxSentences: 2, maxWords: 90 }]) {
      const picked = summarizeMulti(story(), o);
      expect(picked[0]!.position).toBe(0);
      expect([1, 2]).toContain(picked[0]!.source);
    }
    // With fewer sentences than sources (not every lead has a place), outlet A's lead is left out.
    expect(summarizeMulti(story(), { maxSentences: 2, maxWords: 90 }).map((c) => c.text)).not.toContain(outletA[0]);
  });

  it("puts the sentences after the lead in reading order (source, then position)", () => {
    const rest = summarizeMulti(story(), { maxSentences: 4, maxWords: 200 }).slice(1);
    expect(rest.length).toBeGreaterThanOrEqual(1);
    const order = rest.map((c) => c.source * 100 + c.position);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("opens on a lead even when the greedy alone would pick a later sentence", () => {
    // A second sentence that repeats the shared fact with more of the story's words: coverage alone
    // would open on it; the summary still opens on a source's first sentence.
    const cands = [
      ...candidatesOf(
        [
          "The Millbrook council closed the Elm Street bridge on Monday.",
          "Inspectors found deep cracks in the steel beams of the Elm Street bridge, and engineers said repairs to the steel beams would take six months.",
        ],
        0,
      ),
      ...candidatesOf(
        [
          "The Elm Street bridge in Millbrook is closed for repairs.",
          "Engineers said deep cracks in the steel beams of the Elm Street bridge would take six months to repair.",
        ],
        1,
      ),
    ];
    const picked = summarizeMulti(cands, opts);
    expect(picked[0]!.position).toBe(0);
  });

  it("goes on with the lead's own article when the sources share nothing more", () => {
    const budget = [
      "The Riverton council approved a record budget for schools on Monday night.",
      "The plan adds money for new classrooms and teachers in every district.",
      "Council members voted seven to two in favour of the plan.",
    ];
    const storm = [
      "A storm knocked out power to thousands of homes across the northern valley.",
      "Crews worked through the night to restore the lines near the old mill.",
      "Forecasters expect more rain and strong wind over the weekend.",
    ];
    const picked = summarizeMulti([...candidatesOf(budget, 0), ...candidatesOf(storm, 1)], opts);
    expect(picked.map((c) => c.position)).toEqual([0, 1, 2]);
    expect(new Set(picked.map((c) => c.source)).size).toBe(1);
  });

  // Two outlets on one search for a director: one leads on a candidate's interest, the other on
  // the favourite's talks. Each lead is its own article's summary.
  const interest = [
    "Alan Brooks has said he wants to become the new director of the Riverton orchestra after the board dismissed Paul Denton on Tuesday.",
    "Brooks, who conducted the orchestra for twelve seasons, has not yet been approached by the board.",
    "The early favourite for the post is Maria Vance, the former principal cellist who is close to the incoming chairman Colin Greaves.",
    "Vance has also made clear her wish to help the Riverton orchestra out of its current crisis.",
  ];
  const talks = [
    "Maria Vance has confirmed that she held talks with the board about the director post at the Riverton orchestra.",
    "She met the new chief executive Tom Harris for an hour and has worked with chairman Colin Greaves before, and looks set to be offered the job.",
    "The board will choose between Vance, Brooks and the composer Leo Strand at its meeting next month.",
  ];
  const search = (): Candidate[] => [...candidatesOf(interest, 0), ...candidatesOf(talks, 1)];

  it("gives every source's lead a place when they all fit, though they say different things", () => {
    // Two sentences for two sources: coverage of what both say would add the favourite's meeting
    // after her talks and leave out the other outlet's lead.
    const picked = summarizeMulti(search(), { maxSentences: 2, maxWords: 60 }).map((c) => c.text);
    expect(picked).toContain(interest[0]);
    expect(picked).toContain(talks[0]);
  });

  /** Each summary sentence that leans on context ("She met ...") comes right after the sentence it leans on. */
  function expectNoDangling(picked: readonly Candidate[]): void {
    for (const [k, c] of picked.entries()) {
      if (!leansOnContext(c.text)) continue;
      expect(k, c.text).toBeGreaterThan(0);
      const before = picked[k - 1]!;
      expect([before.source, before.position], c.text).toEqual([c.source, c.position - 1]);
    }
  }

  it("adds no sentence whose pronoun lost its antecedent in a two-source story", () => {
    // Coverage alone adds "She met ..." (the favourite's meeting) after the other outlet's lead,
    // where "She" would read as that lead's subject.
    const picked = summarizeMulti(search(), opts);
    expect(picked.map((c) => c.text)).toContain(interest[0]);
    expect(picked.map((c) => c.text)).toContain(talks[0]);
    expectNoDangling(picked);
  });

  it("keeps a sentence that leans on the lead right after it, though the lead moved to the front", () => {
    // Four outlets, two of them running the other two's copy: more sources than sentences, so the
    // coverage greedy picks, and "She met ..." leans on the opening lead of the second outlet.
    const four = [...search(), ...candidatesOf(interest, 2), ...candidatesOf(talks, 3)];
    const picked = summarizeMulti(four, opts);
    expect(picked.map((c) => c.text)).toContain(talks[1]);
    expectNoDangling(picked);
  });

  it("takes no sentence that opens on a wire dateline the cleaner left, even a source's lead", () => {
    const wire = [
      "NAKURU, Kenya, February 8 (Xinhua) - Maria Vance has confirmed that she held talks with the board about the director post at the Riverton orchestra.",
      "The board will choose between Vance, Brooks and the composer Leo Strand at its meeting next month.",
    ];
    const picked = summarizeMulti([...candidatesOf(interest, 0), ...candidatesOf(wire, 1)], opts).map((c) => c.text);
    expect(picked.length).toBeGreaterThanOrEqual(2);
    for (const t of picked) expect(t).not.toMatch(/\(Xinhua\)/);
  });
});
