import * as tf from '@tensorflow/tfjs-core';
import { reluGrad } from '../kernels/relu-grad.js';

/** Arguments of {@link fusedConv2d}: those of tf.fused.conv2d, NHWC. */
export interface FusedConv2dArgs {
  /** Images [batch, height, width, in]. */
  x: tf.Tensor4D;
  /** Filter [kh, kw, in, out]. */
  filter: tf.Tensor4D;
  /** Step of the window, [vertical, horizontal] or one for both. */
  strides: [number, number] | number;
  /** 'same' (zero padding) or 'valid' (none). */
  pad: 'valid' | 'same';
  /** Spacing between taps; above 1 goes to tf.fused.conv2d. */
  dilations?: [number, number] | number;
  /** Bias [out]; without it tf.fused.conv2d runs. */
  bias?: tf.Tensor | undefined;
  /** 'relu' and 'linear' stay fused under a tape; others go to tf.fused.conv2d. Default 'linear'. */
  activation?: tf.fused.Activation;
}

const recording = () =>
  (tf.engine().state as unknown as { gradientDepth: number }).gradientDepth > 0;
interface TapeNode {
  inputs: Record<string, tf.Tensor | null>;
  outputs: tf.Tensor[];
}
/**
 * What is known of each tape being recorded: how many of its nodes were read, and the ids of
 * tensors computed from a trainable variable. Weak, so a finished tape is not kept alive.
 */
const scans = new WeakMap<TapeNode[], { scanned: number; dependent: Set<number> }>();

/** Depth of {@link gradientsOfVariables} calls: while > 0, tapes start from variables only. */
let variableSources = 0;

/**
 * Runs `f`, typically `tf.variableGrads(...)`, telling the fused ops that the gradients being
 * recorded are taken with respect to variables only, so an input computed from no trainable
 * variable (the batch) needs no gradient. fit and its replicas wrap their steps in it. Outside
 * it (tf.grads with respect to any tensor) the fused ops compute every input's gradient.
 */
export function gradientsOfVariables<T>(f: () => T): T {
  variableSources++;
  try {
    return f();
  } finally {
    variableSources--;
  }
}

/**
 * False when no gradient can flow into `t` inside {@link gradientsOfVariables}: neither a
 * trainable variable nor computed (on the tape being recorded) from one, e.g. the input batch,
 * or the batch reshaped. tfjs prunes such branches itself, but a custom gradient computes the
 * gradient of every input it is given (for the first convolution, that of the images: a third
 * of the layer's backward work). Unknown cases count as needing it.
 */
function requiresGradient(t: tf.Tensor): boolean {
  if (variableSources === 0) return true;
  if (t instanceof tf.Variable) return t.trainable;
  const tape = (tf.engine().state as unknown as { activeTape?: TapeNode[] | null }).activeTape;
  if (!Array.isArray(tape)) return true;
  let scan = scans.get(tape);
  if (!scan || scan.scanned > tape.length) {
    scan = { scanned: 0, dependent: new Set() };
    scans.set(tape, scan);
  }
  const { dependent } = scan;
  for (; scan.scanned < tape.length; scan.scanned++) {
    const node = tape[scan.scanned]!;
    const fed = Object.values(node.inputs).some(
      (input) =>
        input != null &&
        (dependent.has(input.id) || (input instanceof tf.Variable && input.trainable)),
    );
    if (fed) for (const output of node.outputs) dependent.add(output.id);
  }
  return dependent.has(t.id);
}

/** Activations handled here while recording ('linear' too: tfjs's own fused gradient computes the input's gradient even when nothing needs it). */
const KEPT = new Set(['linear', 'relu']);

const isOne = (v: [number, number] | number | undefined) =>
  v === undefined || (typeof v === 'number' ? v === 1 : v[0] === 1 && v[1] === 1);

/**
 * tf.fused.conv2d that stays one kernel (FusedConv2D: convolution, bias and relu) while
 * gradients are recorded. tfjs splits a fused op with an activation into Conv2D, Add and Relu
 * under a tape, and its gradient then runs Step and Multiply for the relu; here the forward
 * pass is the fused kernel and the backward pass takes the relu mask from the output
 * ({@link reluGrad}, one kernel on wasm), then Conv2DBackpropInput, Conv2DBackpropFilter and the
 * bias sum, skipping the images' gradient when nothing needs it ({@link gradientsOfVariables}).
 * 'linear' is handled the same way (without the mask). The same values as tf.fused.conv2d
 * (tested against it). Other activations, dilation, and no bias go to tf.fused.conv2d.
 */
export function fusedConv2d(args: FusedConv2dArgs): tf.Tensor4D {
  const activation = args.activation ?? 'linear';
  if (!recording() || !KEPT.has(activation) || !isOne(args.dilations) || !args.bias)
    return tf.fused.conv2d(args);
  const { x, strides, pad } = args;
  const attrs = { strides, pad, dataFormat: 'NHWC', dilations: 1, activation };
  // The images' gradient only when something upstream learns (not for the first layer).
  const withX = requiresGradient(x);
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = inputs.at(-1) as tf.GradSaveFunc;
    const [filter, bias] = inputs.slice(withX ? 1 : 0, -1) as [tf.Tensor4D, tf.Tensor];
    const y = tf
      .engine()
      .runKernel(tf.FusedConv2D, { x, filter, bias }, attrs as unknown as tf.NamedAttrMap);
    save([x, filter, y as tf.Tensor]);
    return {
      value: y as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sf, sy] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
        const dz = activation === 'relu' ? reluGrad(dy, sy) : dy;
        const engine = tf.engine();
        const common = { strides, pad, dataFormat: 'NHWC' };
        const dFilter = engine.runKernel(tf.Conv2DBackpropFilter, { x: sx, dy: dz }, {
          ...common,
          filterShape: sf.shape,
        } as unknown as tf.NamedAttrMap) as tf.Tensor;
        const dBias = tf.reshape(tf.sum(dz, [0, 1, 2]), bias.shape);
        if (!withX) return [dFilter, dBias];
        const dx = engine.runKernel(tf.Conv2DBackpropInput, { dy: dz, filter: sf }, {
          ...common,
          inputShape: sx.shape,
        } as unknown as tf.NamedAttrMap) as tf.Tensor;
        return [dx, dFilter, dBias];
      },
    };
  });
  return (withX ? op(x, args.filter, args.bias) : op(args.filter, args.bias)) as tf.Tensor4D;
}

/** Arguments of {@link fusedMatMul}: those of tf.fused.matMul. */
export interface FusedMatMulArgs {
  /** Inputs [batch, in]. */
  a: tf.Tensor2D;
  /** Weights [in, out]. */
  b: tf.Tensor2D;
  /** Bias [out]; without it tf.fused.matMul runs. */
  bias?: tf.Tensor | undefined;
  /** 'relu' and 'linear' stay fused under a tape; others go to tf.fused.matMul. Default 'linear'. */
  activation?: tf.fused.Activation;
}

/**
 * tf.fused.matMul that stays one kernel (_FusedMatMul: product, bias and relu) while gradients
 * are recorded, for [batch, in] x [in, out] + [out] with relu or none; backward: the relu
 * mask from the output ({@link reluGrad}), then a^T dz, the bias sum, and dz b^T unless
 * nothing needs it. Anything else (other activations, no bias) goes to tf.fused.matMul.
 */
export function fusedMatMul(args: FusedMatMulArgs): tf.Tensor2D {
  const activation = args.activation ?? 'linear';
  if (!recording() || !KEPT.has(activation) || !args.bias)
    return tf.fused.matMul(args) as tf.Tensor2D;
  const { a } = args;
  const withA = requiresGradient(a);
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = inputs.at(-1) as tf.GradSaveFunc;
    const [b, bias] = inputs.slice(withA ? 1 : 0, -1) as [tf.Tensor2D, tf.Tensor];
    // The kernel takes batches of matrices, as tf.fused.matMul hands them to it.
    const product = tf
      .engine()
      .runKernel(
        tf._FusedMatMul,
        { a: tf.reshape(a, [1, ...a.shape]), b: tf.reshape(b, [1, ...b.shape]), bias },
        { transposeA: false, transposeB: false, activation } as unknown as tf.NamedAttrMap,
      ) as tf.Tensor;
    const y = tf.reshape(product, [a.shape[0], b.shape[1]]) as tf.Tensor2D;
    save([a, b, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sa, sb, sy] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const dz = (activation === 'relu' ? reluGrad(dy, sy) : dy) as tf.Tensor2D;
        const dB = tf.matMul(sa, dz, true, false);
        const dBias = tf.reshape(tf.sum(dz, 0), bias.shape);
        return withA ? [tf.matMul(dz, sb, false, true), dB, dBias] : [dB, dBias];
      },
    };
  });
  return (withA ? op(a, args.b, args.bias) : op(args.b, args.bias)) as tf.Tensor2D;
}
