import { Rng } from '@tunelab/core';
import { ExperimentError } from '../errors.js';
import { describeValue } from '../schema/describe-value.js';
import { type Experiment, type ExperimentInput, experimentSchema } from '../schema/experiment.js';
import { formatIssues } from '../schema/issues.js';
import { setPath } from '../schema/paths.js';
import type { SweepSpec } from '../schema/sweep.js';

/** One trial of a sweep: its overrides on the base experiment, and the resulting experiment. */
export interface Trial {
  /** Stable id, also the run directory's name: t01, t02, ... */
  readonly id: string;
  /** Position on each named axis (e.g. { model: 'cnn4', setting: 'lr 0.01, 3 epochs' }). */
  readonly axes: Readonly<Record<string, string>>;
  /** "model=cnn4 setting=lr 0.01, 3 epochs" or "optimizer.lr=0.0032". */
  readonly label: string;
  /** Dotted paths -> values applied to the base experiment. */
  readonly overrides: Readonly<Record<string, unknown>>;
  /** The base experiment with the overrides applied, validated. */
  readonly experiment: Experiment;
}

/**
 * Flattens an override object ({ optimizer: { lr } } or { 'optimizer.lr': ... }) to paths. A
 * key written as a path ('model.layers[1]') keeps its value whole: it may be a layer.
 */
function flatten(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'label') continue;
    const path = prefix + key;
    // Model and optimizer objects replace the base's whole object (a different model has other options).
    if (
      typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v) &&
      !/[.[]/.test(key) &&
      !['model', 'optimizer', 'schedule'].includes(path)
    )
      Object.assign(out, flatten(v as Record<string, unknown>, `${path}.`));
    else out[path] = v;
  }
  return out;
}

function describeOverrides(overrides: Record<string, unknown>): string {
  return Object.entries(overrides)
    .map(([k, v]) => `${k}=${describeValue(v)}`)
    .join(' ');
}

/**
 * Expands a sweep into trials: the cartesian product of its axes (named lists of overrides,
 * e.g. five models x three (epochs, lr) settings) and its grid (path -> values), or `random.trials`
 * draws from declared ranges (seeded by the experiment's seed). Each trial is validated as a
 * full experiment; errors name the trial and the field.
 */
export function planTrials(base: ExperimentInput, sweep: SweepSpec, file: string): Trial[] {
  type Choice = { axis: string; label: string; overrides: Record<string, unknown> };
  const dims: Choice[][] = [];
  for (const [axis, entries] of Object.entries(sweep.axes ?? {})) {
    dims.push(
      entries.map((entry, i) => {
        const overrides = flatten(entry as Record<string, unknown>);
        // Without a label: the value alone when the entry sets one thing (the axis names it), else path=value pairs.
        const values = Object.values(overrides);
        const only = values.length === 1 ? values[0] : undefined;
        const derived = values.length === 1 ? describeValue(only) : describeOverrides(overrides);
        const label = typeof entry.label === 'string' ? entry.label : derived || `${axis} ${i + 1}`;
        return { axis, label, overrides };
      }),
    );
  }
  for (const [path, values] of Object.entries(sweep.grid ?? {})) {
    dims.push(
      values.map((v) => ({
        axis: path,
        label: describeValue(v),
        overrides: { [path]: v },
      })),
    );
  }
  let combos: Choice[][] = [[]];
  for (const dim of dims)
    combos = combos.flatMap((combo) => dim.map((choice) => [...combo, choice]));

  if (sweep.random) {
    if (dims.length > 0)
      throw new ExperimentError(`${file}: sweep: use either axes/grid or random, not both`);
    const rng = Rng.fromSeed(base.seed ?? 42).fork('random-search');
    combos = Array.from({ length: sweep.random.trials }, (_, t) => {
      const draw = rng.fork(`trial-${t}`);
      const overrides: Record<string, unknown> = {};
      for (const [path, range] of Object.entries(sweep.random!.params))
        overrides[path] = sample(range, draw.fork(path));
      return [{ axis: 'random', label: describeOverrides(overrides), overrides }];
    });
  }
  if (combos.length === 1 && combos[0]!.length === 0)
    throw new ExperimentError(`${file}: sweep: declare axes, grid or random`);

  const { sweep: _sweep, ...rest } = base;
  return combos.map((combo, i) => {
    const id = `t${String(i + 1).padStart(Math.max(2, String(combos.length).length), '0')}`;
    const overrides = Object.assign({}, ...combo.map((c) => c.overrides)) as Record<
      string,
      unknown
    >;
    let input: Record<string, unknown> = { ...rest, name: `${base.name}-${id}` };
    const where = `${file} (trial ${id}: ${describeOverrides(overrides)})`;
    for (const [path, value] of Object.entries(overrides)) {
      try {
        input = setPath(input, path, value);
      } catch (error) {
        throw new ExperimentError(`${where}: sweep path ${(error as Error).message}`);
      }
    }
    const parsed = experimentSchema.safeParse(input);
    if (!parsed.success) throw new ExperimentError(formatIssues(where, parsed.error));
    return {
      id,
      axes: Object.fromEntries(combo.map((c) => [c.axis, c.label])),
      label: combo
        .map((c) => (dims.length > 1 || sweep.axes ? `${c.axis}=${c.label}` : c.label))
        .join(' '),
      overrides,
      experiment: parsed.data,
    };
  });
}

/** A declared range of random search. */
export type Range =
  | {
      /** Uniform draws from [low, high]. */
      uniform: [number, number];
    }
  | {
      /** Log-uniform draws from [low, high]. */
      logUniform: [number, number];
    }
  | {
      /** Integers from [low, high], both ends included. */
      int: [number, number];
    }
  | {
      /** One of these values, equally likely. */
      choice: readonly unknown[];
    };

function sample(range: Range, rng: Rng): unknown {
  if ('uniform' in range) return rng.uniform(range.uniform[0], range.uniform[1]);
  if ('logUniform' in range)
    return Math.exp(rng.uniform(Math.log(range.logUniform[0]), Math.log(range.logUniform[1])));
  if ('int' in range) return range.int[0] + rng.int(range.int[1] - range.int[0] + 1);
  return range.choice[rng.int(range.choice.length)];
}

/**
 * Successive halving rungs (Jamieson & Talwalkar 2016; Li et al. 2017, Hyperband,
 * https://arxiv.org/abs/1603.06560): epochs minEpochs, minEpochs*eta, ... below maxEpochs,
 * then maxEpochs. After each rung all but the best 1/eta of the trials still running stop.
 */
export function halvingRungs(minEpochs: number, eta: number, maxEpochs: number): number[] {
  if (!(eta >= 2)) throw new ExperimentError(`sweep.halving.eta must be at least 2, got ${eta}`);
  const rungs: number[] = [];
  for (let e = minEpochs; e < maxEpochs; e = Math.max(e + 1, Math.round(e * eta))) rungs.push(e);
  return [...rungs, maxEpochs];
}
