/**
 * Trials (or runs) by their best value of a metric, best first; those without one last, in
 * their given order. Leaderboards, sweep reports and the dashboard rank alike.
 * Bests 0.8, none, 0.9 with mode 'max' give 0.9, 0.8, none.
 */
export function rankTrials<
  T extends {
    /** The trial's best value of the metric, if it has one. */
    readonly best?:
      | {
          /** The value. */
          readonly value: number;
        }
      | undefined;
  },
>(trials: readonly T[], mode: 'min' | 'max'): T[] {
  return [...trials].sort((a, b) => {
    if (!a.best || !b.best) return a.best ? -1 : b.best ? 1 : 0;
    return mode === 'max' ? b.best.value - a.best.value : a.best.value - b.best.value;
  });
}
