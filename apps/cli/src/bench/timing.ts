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
