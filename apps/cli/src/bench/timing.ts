/** Result of timing one trainer on one workload. */
export interface Timing {
  samplesPerSecond: number;
  steps: number;
  seconds: number;
  batch: number;
  /** Replica threads besides the main one (data parallel), when the trainer used any. */
  workers?: number;
  /** Tensors alive after each timed epoch (constant when nothing leaks). */
  tensorsAfterEpoch?: number[];
  note?: string;
}

/** Resident set size high-water mark of this process, sampled. */
export class PeakMemory {
  peak = process.memoryUsage().rss;
  #timer = setInterval(() => this.sample(), 50);
  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }
  stop(): number {
    clearInterval(this.#timer);
    this.sample();
    return this.peak;
  }
}

/**
 * Steps to time so that a run lasts about `seconds`, from the time of a few probe steps:
 * at least `min` steps.
 */
export function stepsFor(
  probeSeconds: number,
  probeSteps: number,
  seconds: number,
  min = 3,
): number {
  const perStep = probeSeconds / Math.max(probeSteps, 1);
  return Math.max(min, Math.round(seconds / Math.max(perStep, 1e-6)));
}

/**
 * Seconds of warm-up before each trainer is timed (ours and tfjs-layers fit alike): V8's
 * optimising tiers for JavaScript and wasm take a few hundred steps to settle (cnn4 with
 * two threads: 15,100 samples/s after 60 warm-up steps, 17,600 after 300, 18,600 after 2,000).
 */
export const WARM_UP_SECONDS = 3;

/**
 * Warm-up for a trainer: `run(steps)` trains that many steps and resolves to its seconds.
 * Ten steps, then as many more as fill `seconds` (JIT and wasm tier-up take a few hundred
 * steps on small models; the timed windows should measure the steady state). One step for
 * ResNet-18-sized work (over `seconds` already).
 */
export async function warmUp(
  run: (steps: number) => Promise<number>,
  seconds = 1,
  first = 10,
): Promise<void> {
  const elapsed = await run(first);
  const more = Math.min(5000, Math.floor((seconds - elapsed) / Math.max(elapsed / first, 1e-6)));
  if (more > 0) await run(more);
}
