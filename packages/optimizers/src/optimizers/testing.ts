// Helpers for the optimizer tests (not exported from the package).
import * as tf from '@tensorflow/tfjs-core';
import { Parameter, Rng } from '@tunelab/core';
import type { SlotOptimizer } from './base.js';

/** Applies the given scalar gradients one per step to a scalar starting at w0; disposes all. */
export function trajectory(opt: SlotOptimizer, w0: number, grads: number[]): number[] {
  const p = new Parameter(tf.scalar(w0));
  const out = grads.map((g) => {
    const grad = tf.scalar(g);
    opt.applyGradients([[p, grad]]);
    grad.dispose();
    return p.variable.dataSync()[0]!;
  });
  p.dispose();
  opt.dispose();
  return out;
}

/**
 * Runs our optimizer and a tf.train optimizer on the same seeded gradients for a [3, 2]
 * and a [2] parameter over `steps` updates; returns the largest absolute difference of the
 * parameters. Disposes everything it made, both optimizers included.
 */
export function maxDifferenceFromTfTrain(
  ours: SlotOptimizer,
  theirs: tf.Optimizer,
  steps = 6,
): number {
  const shapes = [[3, 2], [2]];
  const rng = Rng.fromSeed(11);
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const initial = sizes.map((n) => rng.normalArray(n));
  const params = shapes.map((s, i) => new Parameter(tf.tensor(initial[i]!, s)));
  const vars = shapes.map((s, i) => tf.tidy(() => tf.variable(tf.tensor(initial[i]!, s))));
  for (let step = 0; step < steps; step++) {
    const grads = shapes.map((s, i) => tf.tensor(rng.normalArray(sizes[i]!), s));
    ours.applyGradients(params.map((p, i) => [p, grads[i]!] as const));
    theirs.applyGradients(Object.fromEntries(vars.map((v, i) => [v.name, grads[i]!])));
    tf.dispose(grads);
  }
  let maxDiff = 0;
  params.forEach((p, i) => {
    const a = p.variable.dataSync();
    const b = vars[i]!.dataSync();
    for (let k = 0; k < a.length; k++) maxDiff = Math.max(maxDiff, Math.abs(a[k]! - b[k]!));
  });
  for (const p of params) p.dispose();
  tf.dispose(vars);
  ours.dispose();
  theirs.dispose();
  return maxDiff;
}
