// Small helpers shared by the benchmarks: repeated timing and robust summaries.

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Runs `fn` `warmup` times untimed, then `runs` times, and returns each run's duration in ms.
 * @example median(timeRuns(() => work(), { runs: 200 }))
 */
export function timeRuns(fn: () => unknown, { runs = 200, warmup = 20 } = {}): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times;
}

export const fmt = (ms: number) => (ms < 0.1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(3)} ms`);
