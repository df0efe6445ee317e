import { show } from '../check.js';
import type { StoppingCriterion } from './criterion.js';
import { patienceCriterion } from './patience.js';
import {
  glCriterion,
  type PqOptions,
  pqCriterion,
  type UpOptions,
  upCriterion,
} from './prechelt.js';

/** Stopping criteria by name, each optional; a value gives its parameters. */
export interface StoppingCriteria {
  /** GL_alpha: stop once the generalization loss exceeds alpha percent. */
  gl?: number;
  /** PQ_alpha with strip length k: GL over training progress; needs training errors. */
  pq?: PqOptions;
  /** UP_s with strip length k: s successive strips of rising validation error. */
  up?: UpOptions;
  /** Stop after this many epochs without improvement (lower is better, minDelta 0). */
  patience?: number;
}

/** A criterion's key in {@link StoppingCriteria}: 'gl', 'pq', 'up' or 'patience'. */
export type CriterionKey = keyof StoppingCriteria;

const KEYS: readonly CriterionKey[] = ['gl', 'pq', 'up', 'patience'];

/** Fresh criterion objects for the criteria given, in the order gl, pq, up, patience. */
export function buildCriteria(
  where: string,
  criteria: StoppingCriteria,
): Array<[CriterionKey, StoppingCriterion]> {
  for (const key of Object.keys(criteria)) {
    if (!KEYS.includes(key as CriterionKey))
      throw new Error(`${where}: unknown criterion ${show(key)} (expected ${KEYS.join(', ')})`);
  }
  const built: Array<[CriterionKey, StoppingCriterion]> = [];
  if (criteria.gl !== undefined) built.push(['gl', glCriterion(criteria.gl)]);
  if (criteria.pq !== undefined) built.push(['pq', pqCriterion(criteria.pq)]);
  if (criteria.up !== undefined) built.push(['up', upCriterion(criteria.up)]);
  if (criteria.patience !== undefined)
    built.push(['patience', patienceCriterion({ patience: criteria.patience })]);
  return built;
}
