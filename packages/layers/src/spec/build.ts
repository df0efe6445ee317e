import type { Module, Rng } from '@tunelab/core';
import { zeros as zeroInit } from '../init/initializers.js';
import { activation as activationLayer, LeCunTanh } from '../layers/activations.js';
import { BasicBlock } from '../layers/basic-block.js';
import { BatchNorm } from '../layers/batch-norm.js';
import { Conv2D } from '../layers/conv2d.js';
import { DepthwiseConv2D } from '../layers/depthwise-conv2d.js';
import { Dropout } from '../layers/dropout.js';
import { Flatten } from '../layers/flatten.js';
import { Inception } from '../layers/inception.js';
import { Linear } from '../layers/linear.js';
import { PartialConv2D } from '../layers/partial-conv2d.js';
import { AvgPool2D, GlobalAvgPool, MaxPool2D } from '../layers/pooling.js';
import { SeparableConv2D } from '../layers/separable-conv2d.js';
import { Sequential } from '../layers/sequential.js';
import { Subsampling } from '../layers/subsampling.js';
import { rngOf } from '../models/args.js';
import { outputShapeOf } from '../summary/summarize.js';
import { describeLayerSpec, layerKindOf } from './describe.js';
import type { LayerKind, LayerSpec } from './schema.js';

/** Options of {@link buildLayerList}. */
export interface LayerListOptions {
  /** Shape of one input example, e.g. [28, 28, 1]: the first layer's input. */
  inputShape: readonly number[];
  /** Number of classes: what `units: 'classes'` stands for, and the size the network must end in. */
  classes?: number;
  /** Seed (or generator) of the initial weights; layer i draws from `fork(String(i))`. Default 0. */
  seed?: number | Rng;
  /** How errors name the list, e.g. 'model.layers'. Default 'layers'. */
  path?: string;
  /**
   * 'zeros' leaves kernels at zero without drawing a number (summaries, or weights loaded
   * next). Default 'random'.
   */
  init?: 'random' | 'zeros';
}

type Size = number | readonly [number, number];
type Options = Record<string, unknown>;

const IMAGE_KINDS: ReadonlySet<LayerKind> = new Set([
  'conv2d',
  'depthwiseConv2d',
  'separableConv2d',
  'maxPool',
  'avgPool',
  'globalAvgPool',
  'basicBlock',
  'inception',
  'subsampling',
  'partialConv2d',
]);

/** The field a shorthand value stands for ({ maxPool: 2 } is { maxPool: { size: 2 } }). */
const SHORTHAND: Partial<Record<LayerKind, string>> = {
  maxPool: 'size',
  avgPool: 'size',
  dense: 'units',
  dropout: 'rate',
  basicBlock: 'filters',
  subsampling: 'size',
  activation: 'name',
};

const shapeText = (shape: readonly number[]) => shape.join('x');
const pairOf = (s: Size | undefined, fallback: number): [number, number] =>
  s === undefined ? [fallback, fallback] : typeof s === 'number' ? [s, s] : [s[0], s[1]];

/**
 * Builds the network a layer list describes (the schema is `layerListSchema` of `@tunelab/layers/spec`), inferring every
 * layer's input size from the one before it, the first from `inputShape`. Layers are named by
 * their index in the list ('0', '2', ...; null entries build nothing), so weights line up
 * between lists that share a prefix. Errors name the entry, the field and the shape that did
 * not fit: `layers[3] maxPool 2: input 1x1x32 is smaller than the 2x2 window`.
 * ```ts
 * const model = buildLayerList(
 *   [{ conv2d: { filters: 8, kernel: 3, padding: 'same', activation: 'relu' } }, { maxPool: 2 },
 *    { flatten: {} }, { dense: 'classes' }],
 *   { inputShape: [28, 28, 1], classes: 10, seed: 1 },
 * ); // 80 + 15,690 = 15,770 parameters
 * ```
 */
export function buildLayerList(
  layers: readonly LayerSpec[],
  options: LayerListOptions,
): Sequential {
  const path = options.path ?? 'layers';
  const rng = rngOf(options.seed);
  const built: Record<string, Module> = {};
  let shape: readonly number[] = [...options.inputShape];
  if (layers.length === 0) throw new Error(`${path}: the list is empty`);
  layers.forEach((spec, i) => {
    const kind = layerKindOf(spec);
    if (kind === null) return;
    const raw = (spec as Record<string, unknown>)[kind];
    const shorthand = SHORTHAND[kind];
    const isShort = raw === null || typeof raw !== 'object' || Array.isArray(raw);
    const o: Options = isShort ? (shorthand ? { [shorthand]: raw } : {}) : (raw as Options);
    const at = `${path}[${i}] ${describeLayerSpec(spec)}`;
    /** "kind.field value" as the user wrote it (the shorthand names no field). */
    const field = (name: string) =>
      isShort
        ? `${path}[${i}] ${describeLayerSpec(spec)}`
        : `${path}[${i}] ${kind}.${name} ${JSON.stringify(o[name])}`;
    if (IMAGE_KINDS.has(kind) && shape.length !== 3)
      throw new Error(
        `${at}: input ${shapeText(shape)} is not an image [height, width, channels]` +
          (shape.length === 1 ? ' (a layer before it flattened the images)' : ''),
      );
    if (kind === 'dense' && shape.length !== 1)
      throw new Error(
        `${at}: input ${shapeText(shape)} is not flat: put { flatten: {} } before it`,
      );
    checkWindow(kind, o, shape, field);
    let layer: Module;
    try {
      layer = makeLayer(kind, o, shape, options, rng.fork(String(i)));
    } catch (error) {
      throw new Error(`${at}: ${layerMessage(error)}`);
    }
    try {
      shape = outputShapeOf(layer, shape);
    } catch (error) {
      throw new Error(`${at}: input ${shapeText(shape)}: ${layerMessage(error)}`);
    }
    built[String(i)] = layer;
  });
  if (Object.keys(built).length === 0) throw new Error(`${path}: every entry is null`);
  const classes = options.classes;
  if (classes !== undefined && (shape.length !== 1 || shape[0] !== classes))
    throw new Error(
      `${path}: the network ends in ${shapeText(shape)} outputs but the data has ${classes} classes: ` +
        (shape.length === 1
          ? "end with { dense: 'classes' }"
          : "end with { flatten: {} } (or { globalAvgPool: {} }) and { dense: 'classes' }"),
    );
  return new Sequential(built);
}

/** A layer's own message without its class prefix ('MaxPool2D: ...', 'summarize: layer ...: ...'). */
function layerMessage(error: unknown): string {
  const message = (error as Error).message;
  return message.replace(/^summarize: layer [^:]+: /, '').replace(/^[A-Za-z0-9]+: /, '');
}

/** A 'valid' window larger than its input: the error the users meet most. */
function checkWindow(
  kind: LayerKind,
  o: Options,
  shape: readonly number[],
  field: (name: string) => string,
): void {
  const key =
    kind === 'maxPool' || kind === 'avgPool'
      ? 'size'
      : kind === 'subsampling'
        ? 'size'
        : ['conv2d', 'depthwiseConv2d', 'separableConv2d', 'partialConv2d'].includes(kind)
          ? 'kernel'
          : null;
  if (key === null) return;
  if ((o.padding ?? 'valid') !== 'valid') return;
  const [kh, kw] = pairOf(o[key] as Size | undefined, 2);
  const [dh, dw] = pairOf(o.dilation as Size | undefined, 1);
  const wh = dh * (kh - 1) + 1;
  const ww = dw * (kw - 1) + 1;
  const [h, w] = shape as [number, number, number];
  if (h < wh || w < ww)
    throw new Error(
      `${field(key)}: input ${shapeText(shape)} is smaller than the ${wh}x${ww} window` +
        (wh !== kh || ww !== kw ? ` (kernel ${kh}x${kw} dilated)` : ''),
    );
}

function makeLayer(
  kind: LayerKind,
  o: Options,
  shape: readonly number[],
  options: LayerListOptions,
  rng: Rng,
): Module {
  const channels = shape[shape.length - 1]!;
  const zeros = options.init === 'zeros' ? { kernelInit: zeroInit } : {};
  const conv = {
    kernelSize: o.kernel as Size,
    ...(o.stride !== undefined ? { strides: o.stride as Size } : {}),
    ...(o.padding !== undefined ? { padding: o.padding as 'same' | 'valid' } : {}),
    ...(o.dilation !== undefined ? { dilation: o.dilation as Size } : {}),
    ...(o.bias !== undefined ? { bias: o.bias as boolean } : {}),
    ...(o.activation !== undefined ? { activation: o.activation as 'relu' } : {}),
  };
  switch (kind) {
    case 'conv2d':
      return new Conv2D({
        inputChannels: channels,
        filters: o.filters as number,
        ...conv,
        rng,
        ...zeros,
      });
    case 'depthwiseConv2d':
      return new DepthwiseConv2D({
        inputChannels: channels,
        ...(o.multiplier !== undefined ? { depthMultiplier: o.multiplier as number } : {}),
        ...conv,
        rng,
        ...zeros,
      });
    case 'separableConv2d':
      return new SeparableConv2D({
        inputChannels: channels,
        filters: o.filters as number,
        ...(o.multiplier !== undefined ? { depthMultiplier: o.multiplier as number } : {}),
        ...conv,
        rng,
      });
    case 'dense': {
      const units = o.units === 'classes' ? options.classes : (o.units as number);
      if (units === undefined) throw new Error("units 'classes' needs the number of classes");
      return new Linear({
        inputs: channels,
        outputs: units,
        ...(o.activation !== undefined ? { activation: o.activation as 'relu' } : {}),
        ...(o.bias !== undefined ? { bias: o.bias as boolean } : {}),
        rng,
        ...zeros,
      });
    }
    case 'maxPool':
    case 'avgPool': {
      const args = {
        poolSize: o.size as Size,
        ...(o.stride !== undefined ? { strides: o.stride as Size } : {}),
        ...(o.padding !== undefined ? { padding: o.padding as 'same' | 'valid' } : {}),
      };
      return kind === 'maxPool' ? new MaxPool2D(args) : new AvgPool2D(args);
    }
    case 'globalAvgPool':
      return new GlobalAvgPool();
    case 'batchNorm':
      return new BatchNorm({
        channels,
        ...(o.momentum !== undefined ? { momentum: o.momentum as number } : {}),
        ...(o.epsilon !== undefined ? { epsilon: o.epsilon as number } : {}),
      });
    case 'dropout':
      return new Dropout({ rate: o.rate as number, rng });
    case 'activation':
      return o.name === 'lecunTanh' ? new LeCunTanh() : activationLayer(o.name as 'relu');
    case 'flatten':
      return new Flatten();
    case 'basicBlock':
      return new BasicBlock({
        inputChannels: channels,
        outputChannels: o.filters as number,
        ...(o.stride !== undefined ? { stride: o.stride as number } : {}),
        rng,
      });
    case 'inception':
      return new Inception({
        inputChannels: channels,
        ...(o as { conv1x1: number; conv3x3: number; conv5x5: number }),
        rng,
      });
    case 'subsampling':
      return new Subsampling({
        channels,
        ...(o.size !== undefined ? { size: o.size as number } : {}),
      });
    case 'partialConv2d':
      return new PartialConv2D({
        inputChannels: channels,
        table: o.table as number[][],
        kernelSize: o.kernel as Size,
        ...(o.stride !== undefined ? { strides: o.stride as Size } : {}),
        ...(o.padding !== undefined ? { padding: o.padding as 'same' | 'valid' } : {}),
        ...(o.bias !== undefined ? { bias: o.bias as boolean } : {}),
        rng,
      });
  }
}
