import { nonNegative, positiveInteger } from '../check.js';
import { formatValue, type StoppingCriterion } from './criterion.js';

// Prechelt's criteria watch an error (lower is better, >= 0). A NaN error (a diverged epoch)
// counts as +Infinity: worse than every finite error.

/**
 * Generalization loss in percent, GL(t) = 100 * (E_va(t) / E_opt(t) - 1), where E_opt(t) is
 * the lowest validation error up to epoch t. 0 when E_va = E_opt; Infinity when E_opt = 0 < E_va.
 * Paper: Prechelt 1998, "Early Stopping - But When?", in Neural Networks: Tricks of the Trade,
 * https://doi.org/10.1007/3-540-49430-8_3 (section 2.2).
 */
export function generalizationLoss(validationError: number, lowestSoFar: number): number {
  if (validationError === lowestSoFar) return 0;
  return 100 * (validationError / lowestSoFar - 1);
}

/**
 * Training progress in per mille over a strip of k epochs,
 * P_k(t) = 1000 * (sum of E_tr over the strip / (k * min of E_tr over the strip) - 1):
 * large while training error still falls fast, near 0 once it is flat.
 * Paper: Prechelt 1998, section 2.2.
 */
export function trainingProgress(strip: readonly number[]): number {
  if (strip.length === 0) throw new Error('trainingProgress: the strip is empty');
  const errors = strip.map(asError);
  const sum = errors.reduce((a, b) => a + b, 0);
  const min = Math.min(...errors);
  if (sum === 0) return 0;
  return 1000 * (sum / (strip.length * min) - 1);
}

/**
 * GL_alpha: stop after the first epoch t with GL(t) > alpha. Paper: Prechelt 1998.
 * With alpha = 5 and validation errors 1, 0.8, 0.7, 0.75: GL(4) = 100 (0.75 / 0.7 - 1) = 7.14, so
 * `update` returns 'GL = 7.143 > 5' at epoch 4 (null before).
 */
export function glCriterion(alpha: number): StoppingCriterion {
  nonNegative('GL', 'alpha', alpha);
  let lowest = Infinity;
  return {
    name: `GL_${alpha}`,
    needsTraining: false,
    update(value) {
      const e = asError(value);
      lowest = Math.min(lowest, e);
      const gl = generalizationLoss(e, lowest);
      return gl > alpha ? `GL = ${formatValue(gl)} > ${alpha}` : null;
    },
  };
}

/** Options of {@link pqCriterion}. */
export interface PqOptions {
  /** Threshold on GL(t) / P_k(t), >= 0. */
  alpha: number;
  /** Strip length in epochs (Prechelt uses 5); checked at epochs k, 2k, 3k, ... */
  k: number;
}

/**
 * PQ_alpha: stop after the first end-of-strip epoch t (a multiple of k) with
 * GL(t) / P_k(t) > alpha, i.e. when the generalization loss is high relative to what
 * training still gains. GL = 0 gives 0; GL > 0 with P_k = 0 gives Infinity.
 * Needs the training error of every epoch. Paper: Prechelt 1998.
 */
export function pqCriterion(options: PqOptions): StoppingCriterion {
  const alpha = nonNegative('PQ', 'alpha', options.alpha);
  const k = positiveInteger('PQ', 'k', options.k);
  const name = `PQ_${alpha} (k = ${k})`;
  let lowest = Infinity;
  let epoch = 0;
  const strip: number[] = [];
  return {
    name,
    needsTraining: true,
    update(value, trainingError) {
      epoch++;
      if (trainingError === undefined)
        throw new Error(
          `${name}: needs the training error of every epoch, got none at epoch ${epoch}`,
        );
      const e = asError(value);
      lowest = Math.min(lowest, e);
      strip.push(trainingError);
      if (strip.length > k) strip.shift();
      if (epoch % k !== 0) return null;
      const gl = generalizationLoss(e, lowest);
      const progress = trainingProgress(strip);
      const pq = gl === 0 ? 0 : gl / progress;
      return pq > alpha
        ? `GL / P_k = ${formatValue(gl)} / ${formatValue(progress)} = ${formatValue(pq)} > ${alpha}`
        : null;
    },
  };
}

/** Options of {@link upCriterion}. */
export interface UpOptions {
  /** Successive strips of rising validation error that stop training, a positive integer. */
  s: number;
  /** Strip length in epochs; the error is compared at epochs k, 2k, 3k, ... */
  k: number;
}

/**
 * UP_s: stop after end-of-strip epoch t (a multiple of k) when the validation error at the
 * end of each of the last s strips exceeded the one at the end of the strip before:
 * E_va(t - i k) > E_va(t - (i + 1) k) for i = 0, ..., s - 1. The earliest stop is epoch
 * (s + 1) k. Paper: Prechelt 1998 (UP_1: E_va(t) > E_va(t - k); UP_s: UP_{s-1} holds at t - k
 * and E_va(t) > E_va(t - k)).
 */
export function upCriterion(options: UpOptions): StoppingCriterion {
  const s = positiveInteger('UP', 's', options.s);
  const k = positiveInteger('UP', 'k', options.k);
  let epoch = 0;
  let previous: number | undefined;
  let rises = 0;
  return {
    name: `UP_${s} (k = ${k})`,
    needsTraining: false,
    update(value) {
      epoch++;
      if (epoch % k !== 0) return null;
      const e = asError(value);
      rises = previous !== undefined && e > previous ? rises + 1 : 0;
      previous = e;
      return rises >= s
        ? `validation error rose at the end of ${s} successive strips of ${k}`
        : null;
    },
  };
}

function asError(value: number): number {
  if (Number.isNaN(value)) return Infinity;
  if (!(value >= 0)) throw new Error(`stopping criterion: errors must be >= 0, got ${value}`);
  return value;
}
