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

/**
 * Median per-call time (ms) of `fn`, timed in batches so each sample is well above the clock's
 * resolution; the first `batch * warmupBatches` calls warm the JIT untimed.
 * @example perCall((i) => personalise(rendered, urls[i % urls.length]))
 */
export function perCall(fn: (i: number) => unknown, { samples = 40, batch = 200, warmupBatches = 1 } = {}): number {
  for (let i = 0; i < batch * warmupBatches; i++) fn(i);
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t = performance.now();
    for (let i = 0; i < batch; i++) fn(i);
    times.push((performance.now() - t) / batch);
  }
  return median(times);
}
