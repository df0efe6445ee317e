// Explicit trials of a sweep (sweep.trials): each placed on named axes with its own overrides,
// crossed with the axes it does not name and with the grid.
import { ExperimentError } from '../errors.js';

/** One position on one axis and the overrides it brings (none for a position-only name). */
export interface Choice {
  /** The axis name ('model', 'setting', or a grid path). */
  readonly axis: string;
  /** The position on it ('Model 2', 'Setting 1', '0.01'). */
  readonly label: string;
  /** Dotted paths -> values this position applies. */
  readonly overrides: Readonly<Record<string, unknown>>;
}

/** A trial before it becomes an experiment: its positions, and its own overrides and title. */
export interface PlannedTrial {
  /** One choice per axis, in the order the trial's positions are listed. */
  readonly choices: readonly Choice[];
  /** The trial's own overrides (sweep.trials[i].set, flattened), applied after the choices. */
  readonly own?: Readonly<Record<string, unknown>>;
  /** sweep.trials[i].label, when given. */
  readonly title?: string;
}

/** An entry of sweep.trials with `set` already flattened to dotted paths. */
export interface ExplicitTrial {
  /** Axis name -> position. */
  readonly at: Readonly<Record<string, string>>;
  /** Dotted paths -> values. */
  readonly own: Readonly<Record<string, unknown>>;
  /** The cell title, when given. */
  readonly label?: string | undefined;
}

/** Every combination of one choice per dimension, the first dimension varying slowest. */
export function product(dims: readonly (readonly Choice[])[]): Choice[][] {
  let combos: Choice[][] = [[]];
  for (const dim of dims)
    combos = combos.flatMap((combo) => dim.map((choice) => [...combo, choice]));
  return combos;
}

const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/**
 * Expands sweep.trials: each trial takes the entries of the declared axes it names (by label),
 * is crossed with the axes it does not name and with the grid, and keeps its own overrides.
 * Errors name the file and the trial: an unknown label, a path set twice, trials placed on
 * different axes, two trials at the same position.
 */
export function expandTrials(
  trials: readonly ExplicitTrial[],
  axes: ReadonlyMap<string, readonly Choice[]>,
  grid: readonly (readonly Choice[])[],
  file: string,
): PlannedTrial[] {
  const planned: PlannedTrial[] = [];
  const where = new Map<string, number>();
  let names: string | null = null;
  trials.forEach((trial, i) => {
    const at = `${file}: sweep.trials[${i}]`;
    const placed: Choice[] = Object.entries(trial.at).map(([axis, label]) => {
      const entries = axes.get(axis);
      if (!entries) return { axis, label, overrides: {} };
      const entry = entries.find((e) => e.label === label);
      if (!entry)
        throw new ExperimentError(
          `${at}: at.${axis} is "${label}", but axis ${axis} has ${entries.map((e) => `"${e.label}"`).join(', ')}`,
        );
      return entry;
    });
    const crossed = [...axes].filter(([axis]) => !(axis in trial.at)).map(([, entries]) => entries);
    for (const dim of [...crossed, ...grid])
      for (const choice of dim)
        for (const path of Object.keys(choice.overrides)) {
          const clash = Object.keys(trial.own).find((own) => related(own, path));
          if (clash)
            throw new ExperimentError(
              `${at}: set.${clash} clashes with ${choice.axis} "${choice.label}" (${path}), which this trial is crossed with; name ${choice.axis} in its "at" or drop one of them`,
            );
        }
    for (const combo of product([...crossed, ...grid])) {
      const choices = [...placed, ...combo];
      const key = choices.map((c) => c.axis).sort();
      const keyText = key.join(', ');
      if (names === null) names = keyText;
      else if (names !== keyText)
        throw new ExperimentError(
          `${at}: placed on ${keyText}, but sweep.trials[0] on ${names}; every trial needs a position on the same axes`,
        );
      const position = JSON.stringify(
        Object.fromEntries(choices.map((c) => [c.axis, c.label]).sort()),
      );
      const other = where.get(position);
      if (other !== undefined)
        throw new ExperimentError(
          `${at}: its position ${choices.map((c) => `${c.axis} "${c.label}"`).join(', ')} is also that of sweep.trials[${other}]`,
        );
      where.set(position, i);
      planned.push({
        choices,
        own: trial.own,
        ...(trial.label !== undefined ? { title: trial.label } : {}),
      });
    }
  });
  return planned;
}

const number = (v: unknown) => (typeof v === 'number' ? String(v) : JSON.stringify(v));

/**
 * A trial's own values as a cell title: epochs, learning rate and batch size by name, a model
 * by its name and widths, anything else as "name value".
 * `describeValues({ epochs: 15, 'optimizer.lr': 0.005 })` is '15 epochs, lr 0.005'.
 */
export function describeValues(values: Readonly<Record<string, unknown>>): string {
  return Object.entries(values)
    .map(([path, v]) => {
      const key = path.split('.').at(-1)!;
      if (path === 'epochs') return `${number(v)} epoch${v === 1 ? '' : 's'}`;
      if (key === 'lr') return `lr ${number(v)}`;
      if (path === 'batchSize') return `batch ${number(v)}`;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        const { name, hidden } = v as { name?: unknown; hidden?: unknown };
        if (typeof name === 'string')
          return Array.isArray(hidden) ? `${name} ${hidden.join('-')}` : name;
      }
      return `${key} ${typeof v === 'string' ? v : number(v)}`;
    })
    .join(', ');
}
