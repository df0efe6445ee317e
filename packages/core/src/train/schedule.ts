/**
 * A learning-rate schedule: a pure function of the update step (0-based), so it can be
 * plotted without training. Schedules that react to a monitored metric (reduce-on-plateau)
 * also implement `observe`, which the loop calls after each epoch's logs.
 */
export interface Schedule {
  /**
   * The learning rate for update `step` (0-based), e.g. lr0 / (1 + decay * step) for time decay.
   */
  at(step: number): number;
  /**
   * Sees an epoch's metrics; `step` (fit always passes it) is the number of updates applied
   * so far, so a change it makes applies from update `step` on. Replaying logged epochs
   * restores the state on resume.
   */
  observe?(logs: Readonly<Record<string, number>>, step?: number): void;
  /** Options as plain JSON (for the run record). */
  config?(): Record<string, unknown>;
}
