import * as tf from '@tensorflow/tfjs-core';
import { floatTensorFromBytes } from '../ops/bytes-to-float.js';
import { Rng } from '../random/rng.js';

/** A batch ready for a model: float inputs and labels, owned (and disposed) by the caller. */
export interface Batch {
  /** Inputs, float32, shape [size, ...inputShape]. */
  readonly x: tf.Tensor;
  /** Class labels as int32 [size] (or targets as float32 [size, ...]). */
  readonly y: tf.Tensor;
  /** Examples in the batch (the leading dimension of x and y). */
  readonly size: number;
}

/**
 * Maps a batch to a new batch (augmentation, preprocessing). Takes ownership of the input's
 * tensors: it returns them or disposes the ones it replaces. `rng` drives random choices.
 */
export type BatchTransform = (batch: Batch, rng: Rng) => Batch;

/** Random-access examples that turn into tensors one batch at a time. */
export interface Dataset {
  /** Number of examples. */
  readonly size: number;
  /** Shape of one input example, e.g. [28, 28, 1] (NHWC without N). */
  readonly inputShape: readonly number[];
  /** Number of classes for classification data. */
  readonly numClasses: number;
  /** Builds the batch of the examples at `indices` (positions in this dataset). */
  batch(indices: ArrayLike<number>): Batch;
}

/** Options of {@link ArrayDataset}. */
export interface ArrayDatasetArgs {
  /** Inputs of every example back to back; uint8 stays uint8 until a batch is built. */
  x: Uint8Array | Float32Array;
  /** Class label per example, in [0, numClasses). */
  y: Uint8Array | Int32Array;
  /** Shape of one example, e.g. [28, 28, 1]. */
  inputShape: readonly number[];
  /** Number of classes; labels must be below it. */
  numClasses: number;
  /** Factor applied when converting to float (1/255 maps uint8 pixels to [0, 1]). Default 1. */
  scale?: number;
  /** Which stored examples this dataset shows, in order (default: all). */
  indices?: Int32Array;
}

/**
 * An in-memory dataset over typed arrays. Subsets are index views, not copies, so a split
 * of Fashion-MNIST keeps one 55 MB uint8 buffer. Floats exist only per batch.
 * ```ts
 * const data = new ArrayDataset({
 *   x: pixels, // Uint8Array of n * 784 values
 *   y: labels, // Uint8Array of n classes
 *   inputShape: [28, 28, 1],
 *   numClasses: 10,
 *   scale: 1 / 255,
 * });
 * data.batch([0, 1]).x.shape; // [2, 28, 28, 1], float32 in [0, 1]
 * data.take(1000).size; // 1000: a view of the first 1,000 examples
 * ```
 */
export class ArrayDataset implements Dataset {
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  /** Factor applied when converting inputs to float (1/255 for uint8 pixels). */
  readonly scale: number;
  readonly #x: Uint8Array | Float32Array;
  readonly #y: Uint8Array | Int32Array;
  readonly #indices: Int32Array | null;
  readonly #exampleSize: number;
  /** The bytes of the last batch gathered, reused by the next of the same size (see batch). */
  #gathered: Uint8Array | null = null;

  constructor(args: ArrayDatasetArgs) {
    this.inputShape = [...args.inputShape];
    this.numClasses = args.numClasses;
    this.scale = args.scale ?? 1;
    this.#x = args.x;
    this.#y = args.y;
    this.#exampleSize = this.inputShape.reduce((a, b) => a * b, 1);
    const stored = args.y.length;
    if (args.x.length !== stored * this.#exampleSize) {
      throw new Error(
        `ArrayDataset: x has ${args.x.length} values but ${stored} labels x [${this.inputShape}] needs ${stored * this.#exampleSize}`,
      );
    }
    if (args.indices) {
      for (const i of args.indices) {
        if (i < 0 || i >= stored)
          throw new Error(`ArrayDataset: index ${i} outside [0, ${stored})`);
      }
    }
    this.#indices = args.indices ?? null;
  }

  get size(): number {
    return this.#indices ? this.#indices.length : this.#y.length;
  }

  /** Position in the stored arrays of this dataset's `i`-th example. */
  storedIndex(i: number): number {
    return this.#indices ? this.#indices[i]! : i;
  }

  /** Label of the `i`-th example. */
  label(i: number): number {
    return this.#y[this.storedIndex(i)]!;
  }

  /** All labels in order, as a new Int32Array. */
  labels(): Int32Array {
    const out = new Int32Array(this.size);
    for (let i = 0; i < out.length; i++) out[i] = this.label(i);
    return out;
  }

  /** Examples per class, length numClasses. */
  classCounts(): number[] {
    const counts = new Array<number>(this.numClasses).fill(0);
    for (let i = 0; i < this.size; i++) counts[this.label(i)]!++;
    return counts;
  }

  /**
   * This dataset's inputs and labels in its own order, as stored (uint8 stays uint8): views
   * of the storage when this dataset shows every stored example in order, copies otherwise.
   */
  rawExamples(): {
    /** Inputs of every example back to back (size * prod(inputShape) values). */
    x: Uint8Array | Float32Array;
    /** Label of each example. */
    y: Uint8Array | Int32Array;
  } {
    if (!this.#indices) return { x: this.#x, y: this.#y };
    const d = this.#exampleSize;
    const x =
      this.#x instanceof Uint8Array
        ? new Uint8Array(this.size * d)
        : new Float32Array(this.size * d);
    const y = this.#y instanceof Uint8Array ? new Uint8Array(this.size) : new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const s = this.#indices[i]!;
      x.set(this.#x.subarray(s * d, (s + 1) * d), i * d);
      y[i] = this.#y[s]!;
    }
    return { x, y };
  }

  /** A view of the examples at `indices` (positions in this dataset). */
  subset(indices: ArrayLike<number>): ArrayDataset {
    const mapped = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const k = indices[i]!;
      if (!Number.isInteger(k) || k < 0 || k >= this.size) {
        throw new Error(`ArrayDataset.subset: index ${k} outside [0, ${this.size})`);
      }
      mapped[i] = this.storedIndex(k);
    }
    return this.#withIndices(mapped);
  }

  /** The first `n` examples (all of them if n >= size). */
  take(n: number): ArrayDataset {
    const count = Math.min(Math.max(0, Math.floor(n)), this.size);
    return this.subset(Int32Array.from({ length: count }, (_, i) => i));
  }

  #withIndices(indices: Int32Array): ArrayDataset {
    return new ArrayDataset({
      x: this.#x,
      y: this.#y,
      inputShape: this.inputShape,
      numClasses: this.numClasses,
      scale: this.scale,
      indices,
    });
  }

  batch(indices: ArrayLike<number>): Batch {
    const n = indices.length;
    const d = this.#exampleSize;
    // Positions in the stored arrays, checked once (the gathers below trust them).
    const rows = new Int32Array(n);
    for (let b = 0; b < n; b++) {
      const k = indices[b]!;
      if (!(k >= 0 && k < this.size))
        throw new Error(`ArrayDataset.batch: index ${k} outside [0, ${this.size})`);
      rows[b] = this.storedIndex(k);
    }
    const ys = new Int32Array(n);
    const labels = this.#y;
    for (let b = 0; b < n; b++) ys[b] = labels[rows[b]!]!;
    const shape = [n, ...this.inputShape];
    const source = this.#x;
    let x: tf.Tensor;
    if (source instanceof Uint8Array) {
      // uint8 rows are gathered as bytes (padded to whole int32 words) and become floats in one
      // pass on the backend where it can (floatTensorFromBytes); the bytes are only read while
      // the tensor is made (floatTensorFromBytes keeps no reference), so one buffer serves every
      // batch of a size: a fresh 78 KB buffer per batch of 100 Fashion-MNIST images cost about
      // a tenth of a linear model's step in allocation and GC.
      const byteCount = Math.ceil((n * d) / 4) * 4;
      if (this.#gathered?.length !== byteCount) this.#gathered = new Uint8Array(byteCount);
      touchRows(source, rows, d);
      gatherBytes(source, rows, d, this.#gathered);
      x = floatTensorFromBytes(this.#gathered, shape, this.scale);
    } else {
      const gathered = new Float32Array(n * d);
      gatherFloats(source, rows, d, gathered);
      if (this.scale === 1) x = tf.tensor(gathered, shape, 'float32');
      else x = tf.tidy(() => tf.mul(tf.tensor(gathered, shape, 'float32'), this.scale));
    }
    return { x, y: tf.tensor1d(ys, 'int32'), size: n };
  }
}

/**
 * Copies rows `rows` of `source` (each `rowSize` long) back to back into `out`. One function
 * per element type keeps each call site monomorphic: a shared one, seeing both array types,
 * spent about 10 us of a 0.17 ms linear-model step on 100 rows.
 */
function gatherBytes(source: Uint8Array, rows: Int32Array, rowSize: number, out: Uint8Array): void {
  for (let b = 0; b < rows.length; b++) {
    const s = rows[b]! * rowSize;
    out.set(source.subarray(s, s + rowSize), b * rowSize);
  }
}

/** {@link gatherBytes} for float32 inputs. */
function gatherFloats(
  source: Float32Array,
  rows: Int32Array,
  rowSize: number,
  out: Float32Array,
): void {
  for (let b = 0; b < rows.length; b++) {
    const s = rows[b]! * rowSize;
    out.set(source.subarray(s, s + rowSize), b * rowSize);
  }
}

/** Sum of the bytes {@link touchRows} read, kept so the reads are not optimised away. */
let touched = 0;

/**
 * Reads one byte per 64-byte cache line of each row a batch will copy, before copying: the
 * reads are independent, so the processor overlaps their cache misses, and the copies then
 * find the rows in cache. Rows of a shuffled batch are scattered over the whole dataset, and
 * copied one after another each waited for memory: 27 -> 15 us per batch of 100 Fashion-MNIST
 * images on the development machine (about 5% of a linear model's step).
 */
function touchRows(source: Uint8Array, rows: Int32Array, rowBytes: number): void {
  let sum = 0;
  for (let b = 0; b < rows.length; b++) {
    const start = rows[b]! * rowBytes;
    for (let i = 0; i < rowBytes; i += 64) sum += source[start + i]!;
  }
  touched = (touched + sum) | 0;
}

/**
 * A dataset whose batches pass through a deterministic transform (resize, grey-to-RGB,
 * normalisation): use it for every split alike. Random augmentation belongs in fit's
 * `augment` option instead, which only touches training batches.
 * `mapBatches(train, normalize(stats))` (normalize from @tunelab/datasets): every batch
 * normalised as it is built.
 */
export function mapBatches(
  dataset: Dataset,
  transform: BatchTransform,
  inputShape: readonly number[] = dataset.inputShape,
): Dataset {
  const rng = Rng.fromSeed(0);
  return {
    size: dataset.size,
    inputShape,
    numClasses: dataset.numClasses,
    batch: (indices) => transform(dataset.batch(indices), rng),
  };
}
