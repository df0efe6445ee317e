import { Rng } from '@tunelab/core';
import { ExperimentError } from '../errors.js';
import { describeValue } from '../schema/describe-value.js';
import { type Experiment, type ExperimentInput, experimentSchema } from '../schema/experiment.js';
import { formatIssues } from '../schema/issues.js';
import { getPath, setPath } from '../schema/paths.js';
import type { SweepSpec } from '../schema/sweep.js';
import { type Choice, describeValues, expandTrials, type PlannedTrial, product } from './trials.js';

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
  /** An explicit trial's cell title: its label, or its own values ("15 epochs, lr 0.005"). */
  readonly title?: string;
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
 * e.g. five models x three (epochs, lr) settings) and its grid (path -> values); or its
 * explicit `trials`, each placed on named axes with its own overrides and crossed with the
 * axes it does not name and the grid; or `random.trials` draws from
 * declared ranges (seeded by the experiment's seed). `fixed` (dotted path -> value, e.g. the
 * command line's --epochs) is applied to every trial last. Each trial is validated as a full
 * experiment; errors name the trial and the field.
 */
export function planTrials(
  base: ExperimentInput,
  sweep: SweepSpec,
  file: string,
  fixed: Readonly<Record<string, unknown>> = {},
): Trial[] {
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
  let planned: PlannedTrial[];
  if (sweep.trials) {
    const axisCount = Object.keys(sweep.axes ?? {}).length;
    planned = expandTrials(
      sweep.trials.map((t) => ({ at: t.at, own: flatten(t.set ?? {}), label: t.label })),
      new Map(dims.slice(0, axisCount).map((dim, i) => [Object.keys(sweep.axes!)[i]!, dim])),
      dims.slice(axisCount),
      file,
    );
  } else planned = product(dims).map((choices) => ({ choices }));

  if (sweep.random) {
    if (dims.length > 0 || sweep.trials)
      throw new ExperimentError(`${file}: sweep: use either axes/grid/trials or random, not both`);
    const rng = Rng.fromSeed(base.seed ?? 42).fork('random-search');
    planned = Array.from({ length: sweep.random.trials }, (_, t) => {
      const draw = rng.fork(`trial-${t}`);
      const overrides: Record<string, unknown> = {};
      for (const [path, range] of Object.entries(sweep.random!.params))
        overrides[path] = sample(range, draw.fork(path));
      return { choices: [{ axis: 'random', label: describeOverrides(overrides), overrides }] };
    });
  }
  if (planned.length === 1 && planned[0]!.choices.length === 0)
    throw new ExperimentError(`${file}: sweep: declare axes, grid, trials or random`);

  const { sweep: _sweep, ...rest } = base;
  return planned.map(({ choices, own, title }, i) => {
    const id = `t${String(i + 1).padStart(Math.max(2, String(planned.length).length), '0')}`;
    const overrides = Object.assign({}, ...choices.map((c) => c.overrides), own) as Record<
      string,
      unknown
    >;
    let input: Record<string, unknown> = { ...rest, name: `${base.name}-${id}` };
    const where = `${file} (trial ${id}: ${describeOverrides(overrides)})`;
    for (const [path, value] of Object.entries({ ...overrides, ...fixed })) {
      try {
        input = setPath(input, path, value);
      } catch (error) {
        throw new ExperimentError(`${where}: sweep path ${(error as Error).message}`);
      }
    }
    const parsed = experimentSchema.safeParse(input);
    if (!parsed.success) throw new ExperimentError(formatIssues(where, parsed.error));
    // The title shows the values the trial runs with (after the command line's).
    const ownValues = own
      ? Object.fromEntries(Object.keys(own).map((path) => [path, getPath(input, path)]))
      : {};
    const cellTitle = title ?? (own ? describeValues(ownValues) : '');
    return {
      id,
      axes: Object.fromEntries(choices.map((c) => [c.axis, c.label])),
      label: choices
        .map((c) =>
          dims.length > 1 || sweep.axes || sweep.trials ? `${c.axis}=${c.label}` : c.label,
        )
        .join(' '),
      overrides,
      ...(cellTitle ? { title: cellTitle } : {}),
      experiment: parsed.data,
    };
  });
}

/**
 * Checks that the selection metric exists in the trials' records: a trial with
 * evaluation.heldOut 'test' has test metrics and no validation ones, so its sweep must select
 * by a test metric, stated in the file (sweep.metric: 'testAccuracy'): selecting on test is
 * then a recorded choice, never a default. A test metric without that opt-in never exists.
 */
export function checkSelectionMetric(trials: readonly Trial[], metric: string, file: string): void {
  const onTest = trials.filter((t) => t.experiment.evaluation?.heldOut === 'test');
  const byTest = /^test[A-Z]/.test(metric);
  if (onTest.length > 0 && onTest.length < trials.length)
    throw new ExperimentError(
      `${file}: evaluation.heldOut is 'test' in ${onTest.map((t) => t.id).join(', ')} only; use one held-out split for every trial so their metrics compare`,
    );
  if (onTest.length > 0 && !byTest)
    throw new ExperimentError(
      `${file}: evaluation.heldOut is 'test', so the trials record test metrics, not ${metric}; set sweep.metric: 'testAccuracy' to select on test (a literal reproduction, recorded as such), or drop heldOut to select on validation`,
    );
  if (onTest.length === 0 && byTest)
    throw new ExperimentError(
      `${file}: sweep.metric is ${metric}, but the sweep never looks at the test split (select by a validation metric such as valAccuracy, then evaluate the chosen trial with tunelab eval --split test)`,
    );
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
