import type { Module } from '@tunelab/core';

/**
 * The analytic contract behind {@link summarize}: every layer says what it does to an input
 * shape without running tfjs, and every container says how its children are wired.
 *
 * Counting conventions (one place, so every layer agrees):
 * - Shapes are per example, without the batch axis: [height, width, channels] for images,
 *   [features] for vectors.
 * - MACs (multiply-accumulates) count products of a weight with an input: convolutions, dense
 *   layers, LeNet's subsampling coefficient. Pooling, normalisation, activations and residual
 *   additions count 0, the convention of the published VGG/ResNet figures. Windows are counted
 *   whole, zero padding included.
 * - Connections follow LeCun et al. 1998: for each output unit, the inputs it is wired to
 *   plus one for a bias, summed over units. An activation is part of its unit (LeNet's
 *   squashing function is not counted), so element-wise activations, dropout and reshapes
 *   count 0; batch norm counts 2 per unit (one input, one shift); pools count their window.
 */

/** Per-example shape: [height, width, channels] or [features]; no batch axis. */
export type Shape = readonly number[];

/**
 * How a layer moves the receptive field. `kernel` is the window as it lands on the input
 * (dilation included: d * (k - 1) + 1) and `stride` its step, both along [height, width].
 * 'pointwise': each output unit reads one input position (activations, batch norm, 1x1 ...).
 * 'global': each output unit reads every position (dense layers, global pooling).
 */
export type Window =
  | {
      /** Window size along [height, width], dilation included. */
      readonly kernel: readonly [number, number];
      /** Step along [height, width]. */
      readonly stride: readonly [number, number];
    }
  | 'pointwise'
  | 'global';

/** What a layer does to one input shape, computed from its configuration alone. */
export interface LayerDescription {
  /** Output shape per example. */
  readonly outputShape: number[];
  /** Multiply-accumulates per example. */
  readonly macs: number;
  /** Connections per example, as LeNet counts them (inputs wired to each unit, bias included). */
  readonly connections: number;
  /** The layer's step in the receptive-field recurrence. */
  readonly window: Window;
}

/** A layer that describes itself analytically. */
export interface Describable {
  /** Output shape, cost and window for `inputShape`; throws naming the shape it expected. */
  describe(inputShape: Shape): LayerDescription;
}

/** Where a summary walk stands after some layers. */
export interface Trace {
  /** Shape per example. */
  readonly shape: Shape;
  /**
   * Receptive field [height, width] in input pixels of one unit of `shape`, unclipped by the
   * image border; null once each unit sees the whole input (after a dense or global layer).
   */
  readonly receptiveField: readonly [number, number] | null;
  /** Distance in input pixels between neighbouring units (the product of strides so far). */
  readonly jump: readonly [number, number];
}

/** What a container calls to walk its parts. */
export interface SummaryVisitor {
  /** Summarises child `name` (a layer or container) fed with `input`; returns its output. */
  child(name: string, module: Module, input: Trace): Trace;
  /** Records a parameter-free step of the container itself (e.g. a residual addition). */
  op(name: string, type: string, output: Trace, cost: { macs: number; connections: number }): void;
}

/** A container that routes the walk through its children (Sequential in order, a residual block in two branches). */
export interface Composite {
  /** Visits each child with its input and returns the container's output trace. */
  traceChildren(input: Trace, visit: SummaryVisitor): Trace;
}

/**
 * True when `module` describes its own effect on a shape (a leaf layer with `describe`).
 * `isDescribable(new ReLU())` is true; a container such as `new Sequential([])` is not.
 */
export function isDescribable(module: unknown): module is Describable {
  return typeof (module as Partial<Describable>).describe === 'function';
}

/**
 * True when `module` routes the summary walk through its children (`traceChildren`).
 * `isComposite(new Sequential([]))` is true; `isComposite(new ReLU())` is false.
 */
export function isComposite(module: unknown): module is Composite {
  return typeof (module as Partial<Composite>).traceChildren === 'function';
}

/**
 * The trace before any layer: each unit sees itself (images) or nothing spatial (vectors).
 * `inputTrace([28, 28, 1])` has receptive field [1, 1] and jump [1, 1].
 */
export function inputTrace(shape: Shape): Trace {
  return { shape, receptiveField: shape.length === 3 ? [1, 1] : null, jump: [1, 1] };
}

/**
 * One step of the receptive-field recurrence r_out = r_in + (k - 1) * j_in, j_out = j_in * s
 * (Araujo et al. 2019, "Computing Receptive Fields of Convolutional Neural Networks",
 * https://distill.pub/2019/computing-receptive-fields/).
 */
export function advance(input: Trace, description: LayerDescription): Trace {
  const { window, outputShape } = description;
  if (window === 'global' || input.receptiveField === null) {
    return { shape: outputShape, receptiveField: null, jump: input.jump };
  }
  if (window === 'pointwise') return { ...input, shape: outputShape };
  const [rh, rw] = input.receptiveField;
  const [jh, jw] = input.jump;
  return {
    shape: outputShape,
    receptiveField: [rh + (window.kernel[0] - 1) * jh, rw + (window.kernel[1] - 1) * jw],
    jump: [jh * window.stride[0], jw * window.stride[1]],
  };
}

/**
 * Joins two branches that are added: same shape; the larger receptive field wins.
 * Receptive fields [3, 3] and [5, 5] merge to [5, 5].
 */
export function mergeTraces(a: Trace, b: Trace): Trace {
  if (a.shape.join(',') !== b.shape.join(',')) {
    throw new Error(`cannot add branches of shapes [${a.shape}] and [${b.shape}]`);
  }
  if (a.receptiveField === null || b.receptiveField === null) {
    return { shape: a.shape, receptiveField: null, jump: a.jump };
  }
  return {
    shape: a.shape,
    receptiveField: [
      Math.max(a.receptiveField[0], b.receptiveField[0]),
      Math.max(a.receptiveField[1], b.receptiveField[1]),
    ],
    jump: a.jump,
  };
}

/**
 * Joins branches whose outputs are concatenated along the channels (an inception module):
 * same height and width; channels add up; the largest receptive field wins.
 * [8, 8, 16] and [8, 8, 32] give [8, 8, 48].
 */
export function concatTraces(traces: readonly Trace[]): Trace {
  const [first, ...rest] = traces;
  if (!first) throw new Error('cannot concatenate zero branches');
  let channels = first.shape[first.shape.length - 1]!;
  let field = first.receptiveField;
  for (const t of rest) {
    if (t.shape.slice(0, -1).join(',') !== first.shape.slice(0, -1).join(',')) {
      throw new Error(`cannot concatenate branches of shapes [${first.shape}] and [${t.shape}]`);
    }
    channels += t.shape[t.shape.length - 1]!;
    field =
      field === null || t.receptiveField === null
        ? null
        : [Math.max(field[0], t.receptiveField[0]), Math.max(field[1], t.receptiveField[1])];
  }
  return {
    shape: [...first.shape.slice(0, -1), channels],
    receptiveField: field,
    jump: first.jump,
  };
}

/** Number of elements of a shape. */
export function sizeOf(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}
