/**
 * One stopping rule, fed one epoch at a time. The training callbacks ({@link stopWhen},
 * {@link earlyStopping}) and the after-the-fact analysis ({@link stoppingPoints},
 * {@link analyzeStopping}) drive the same objects, so each rule is written once.
 */
export interface StoppingCriterion {
  /** The rule with its parameters as Prechelt writes them: 'GL_5', 'PQ_0.5 (k = 5)', ... */
  readonly name: string;
  /** True when {@link update} needs the epoch's training error as well (PQ). */
  readonly needsTraining: boolean;
  /**
   * Takes the next epoch's monitored value (validation error) and, when needed, its training
   * error, in epoch order from the first. Returns why training should stop after this epoch
   * (e.g. "GL = 6.25 > 5"), or null to go on.
   */
  update(value: number, trainingError?: number): string | null;
}

/** A number in a stop message: 4 significant digits. */
export function formatValue(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x);
}
