import * as tf from '@tensorflow/tfjs-core';
import { countCorrect } from '../ops/count-correct.js';
import { scalarNow } from '../ops/tensor-values.js';

/**
 * A streaming metric. `update` keeps running sums on the backend (no GPU->CPU read);
 * `read` transfers the value once, so the loop can read once per logging period.
 */
export interface Metric {
  /** Key in logs, e.g. 'accuracy' becomes trainAccuracy / valAccuracy. */
  readonly name: string;
  /** Adds a batch: model outputs and labels (class ids or one-hot rows). */
  update(outputs: tf.Tensor, labels: tf.Tensor): void;
  /** The value over all batches since the last reset (one GPU->CPU read). */
  read(): Promise<number>;
  /** Starts afresh (at each epoch). */
  reset(): void;
  /** Frees the tensors it holds. */
  dispose(): void;
}

/**
 * Running mean of per-batch values weighted by batch size (used for the loss).
 * Batch means 1 (10 examples) and 4 (30 examples) read as (10 * 1 + 30 * 4) / 40 = 3.25.
 */
export class RunningMean {
  #sum: tf.Scalar | null = null;
  /** The part of the sum read as it came (backends that read synchronously: wasm). */
  #direct = 0;
  #count = 0;

  /**
   * Adds `value` (a scalar mean over `count` examples). Does not take ownership. On wasm the
   * value is read at once (a heap read); elsewhere the sum stays on the backend (two kernels).
   */
  add(value: tf.Scalar, count: number): void {
    this.#count += count;
    const now = scalarNow(value);
    if (now !== undefined) {
      this.#direct += now * count;
      return;
    }
    const weighted = tf.tidy(() => {
      const term = tf.mul(value, count) as tf.Scalar;
      return this.#sum ? (tf.add(this.#sum, term) as tf.Scalar) : term;
    });
    this.#sum?.dispose();
    this.#sum = tf.keep(weighted);
  }

  /** Examples added since the last reset. */
  get count(): number {
    return this.#count;
  }

  /** sum(value * count) / sum(count); NaN before anything is added. */
  async read(): Promise<number> {
    if (this.#count === 0) return Number.NaN;
    const onBackend = this.#sum ? (await this.#sum.data())[0]! : 0;
    return (onBackend + this.#direct) / this.#count;
  }

  /** Drops the sum and the count. */
  reset(): void {
    this.#sum?.dispose();
    this.#sum = null;
    this.#direct = 0;
    this.#count = 0;
  }
}

/**
 * Fraction of examples whose arg-max output equals the label (a class id, or the arg-max of a
 * one-hot row).
 * Outputs [[2, 1], [0, 3], [5, 1]] for labels [0, 1, 1]: arg-maxes 0, 1, 0, so 2 / 3.
 */
export function accuracy(): Metric {
  // Hits summed on the backend, or here where it reads synchronously (wasm: no kernel to
  // add them); `examples` counted here.
  let hits: tf.Scalar | null = null;
  let direct = 0;
  let examples = 0;
  const reset = () => {
    hits?.dispose();
    hits = null;
    direct = 0;
    examples = 0;
  };
  return {
    name: 'accuracy',
    update(outputs, labels) {
      // Class ids on wasm: one kernel (countCorrect); else tfjs ops.
      const counted =
        countCorrect(outputs, labels) ??
        tf.tidy(() => {
          // Class ids, or one-hot / probability rows (take their arg-max).
          const target =
            labels.rank === outputs.rank ? tf.argMax(labels, -1) : tf.cast(labels, 'int32');
          return tf.sum(tf.cast(tf.equal(tf.argMax(outputs, -1), target), 'float32')) as tf.Scalar;
        });
      examples += labels.shape[0]!;
      const now = scalarNow(counted);
      if (now !== undefined) {
        direct += now;
        counted.dispose();
        return;
      }
      // Kept: update may run inside a caller's tf.tidy (evaluate does).
      const sum = tf.keep(hits ? (tf.add(hits, counted) as tf.Scalar) : counted);
      if (hits) {
        hits.dispose();
        counted.dispose();
      }
      hits = sum;
    },
    async read() {
      if (examples === 0) return Number.NaN;
      return ((hits === null ? 0 : (await hits.data())[0]!) + direct) / examples;
    },
    reset,
    dispose: reset,
  };
}

/**
 * Confusion matrix accumulated on the backend: entry [i][j] counts examples of true class i
 * predicted as class j (arg-max of the outputs). Read it with `matrix()`; `read()` gives the
 * accuracy (trace / total) so it can stand in wherever a Metric is expected.
 */
export function confusionMatrix(numClasses: number): Metric & {
  /** The counts so far, [true class][predicted class] (one GPU->CPU read). */
  matrix(): Promise<number[][]>;
} {
  let counts: tf.Tensor2D | null = null;
  return {
    name: 'confusion',
    update(outputs, labels) {
      const next = tf.tidy(() => {
        const target =
          labels.rank === outputs.rank ? tf.argMax(labels, -1) : tf.cast(labels, 'int32');
        // onehot(true)^T onehot(predicted) in float32: the wasm backend has no int32 matMul, which
        // tf.math.confusionMatrix needs. Counts stay exact below 2^24.
        // tfjs-backend-wasm 4.22's OneHot ignores a float32 dtype (it writes int32 bit patterns):
        // one-hot as int32, then cast.
        const truth = tf.cast(tf.oneHot(target as tf.Tensor1D, numClasses), 'float32');
        const predicted = tf.cast(
          tf.oneHot(tf.argMax(outputs, -1) as tf.Tensor1D, numClasses),
          'float32',
        );
        const batch = tf.matMul(truth as tf.Tensor2D, predicted as tf.Tensor2D, true, false);
        return counts ? tf.add(counts, batch) : batch;
      });
      counts?.dispose();
      counts = tf.keep(next) as tf.Tensor2D;
    },
    async matrix() {
      if (!counts)
        return Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
      return (await counts.array()) as number[][];
    },
    async read() {
      const m = await this.matrix();
      const total = m.flat().reduce((a, b) => a + b, 0);
      return total === 0 ? Number.NaN : m.reduce((a, row, i) => a + row[i]!, 0) / total;
    },
    reset() {
      counts?.dispose();
      counts = null;
    },
    dispose() {
      counts?.dispose();
      counts = null;
    },
  };
}

/** Accuracy of each class from a confusion matrix: diagonal / row sum (NaN for an absent class). */
export function perClassAccuracy(matrix: readonly (readonly number[])[]): number[] {
  return matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? Number.NaN : row[i]! / total;
  });
}
