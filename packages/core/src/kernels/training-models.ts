// Small versions of the BENCHMARKS.md workloads in plain tfjs-core ops (NHWC), for the training
// tests: every op and gradient kernel the full-size models use, at sizes the cpu backend runs
// in milliseconds.
import * as tf from '@tensorflow/tfjs-core';

/** A model: its input shape (without batch) and a forward pass over named parameters. */
export interface TestModel {
  readonly input: number[];
  /** Parameter shapes by name. */
  readonly params: Record<string, number[]>;
  forward(x: tf.Tensor, p: Record<string, tf.Tensor>): tf.Tensor;
}

const relu = tf.relu;
const pool = (x: tf.Tensor4D) => tf.maxPool(x, 2, 2, 'valid');
const flatten = (x: tf.Tensor) => tf.reshape(x, [x.shape[0]!, -1]) as tf.Tensor2D;
const t4 = (t: tf.Tensor) => t as tf.Tensor4D;
const t2 = (t: tf.Tensor) => t as tf.Tensor2D;
const t1 = (t: tf.Tensor) => t as tf.Tensor1D;
const convRelu = (x: tf.Tensor, f: tf.Tensor, b: tf.Tensor, pad: 'same' | 'valid' = 'same') =>
  tf.fused.conv2d({ x: t4(x), filter: t4(f), bias: b, strides: 1, pad, activation: 'relu' });
const dense = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
  tf.fused.matMul({ a: t2(x), b: t2(w), bias: b });

/** Batch norm over N, H, W with the batch's own statistics (training mode). */
function batchNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return t4(tf.batchNorm(t4(x), mean, variance, t1(beta), t1(gamma), 1e-5));
}

export const testModels: Record<string, TestModel> = {
  /** The end-to-end check of the brief: conv, relu, max pool, conv, flatten, dense. */
  smallCnn: {
    input: [10, 10, 2],
    params: { w1: [3, 3, 2, 4], w2: [3, 3, 4, 6], d: [54, 10] },
    forward: (x, p) => {
      const h = pool(relu(tf.conv2d(t4(x), t4(p.w1!), 1, 'same')));
      return tf.matMul(flatten(tf.conv2d(h, t4(p.w2!), 1, 'valid')), t2(p.d!));
    },
  },
  linear: {
    input: [6, 6, 1],
    params: { w: [36, 10], b: [10] },
    forward: (x, p) => dense(flatten(x), p.w!, p.b!),
  },
  mlp2: {
    input: [6, 6, 1],
    params: { w1: [36, 8], b1: [8], w2: [8, 8], b2: [8], w3: [8, 10], b3: [10] },
    forward: (x, p) => {
      const h = tf.fused.matMul({ a: flatten(x), b: t2(p.w1!), bias: p.b1, activation: 'relu' });
      const g = tf.fused.matMul({ a: h, b: t2(p.w2!), bias: p.b2, activation: 'relu' });
      return dense(g, p.w3!, p.b3!);
    },
  },
  cnn4: {
    input: [12, 12, 1],
    params: {
      w1: [3, 3, 1, 8],
      b1: [8],
      w2: [3, 3, 8, 8],
      b2: [8],
      w3: [72, 16],
      b3: [16],
      w4: [16, 10],
      b4: [10],
    },
    forward: (x, p) => {
      const h = pool(convRelu(pool(convRelu(x, p.w1!, p.b1!)), p.w2!, p.b2!));
      return dense(relu(dense(flatten(h), p.w3!, p.b3!)), p.w4!, p.b4!);
    },
  },
  sepcnn5: {
    input: [8, 8, 2],
    params: {
      d1: [3, 3, 2, 2],
      p1: [1, 1, 4, 8],
      b1: [8],
      d2: [3, 3, 8, 1],
      db: [8],
      w: [128, 10],
    },
    forward: (x, p) => {
      // Keras SeparableConv2D (multiplier 2), then a fused depthwise conv with bias and relu.
      const h = relu(tf.add(tf.separableConv2d(t4(x), t4(p.d1!), t4(p.p1!), 1, 'same'), p.b1!));
      const d = tf.fused.depthwiseConv2d({
        x: pool(t4(h)),
        filter: t4(p.d2!),
        bias: p.db,
        strides: 1,
        pad: 'same',
        activation: 'relu',
      });
      return tf.matMul(flatten(d), t2(p.w!));
    },
  },
  basecnn: {
    input: [8, 8, 1],
    params: { w1: [2, 2, 1, 4], b1: [4], w2: [2, 2, 4, 8], b2: [8], w3: [8, 10], b3: [10] },
    forward: (x, p) => {
      const h = convRelu(pool(convRelu(x, p.w1!, p.b1!)), p.w2!, p.b2!);
      return dense(tf.mean(h, [1, 2]), p.w3!, p.b3!);
    },
  },
  /** ResNet's pieces: stride-2 conv, batch norm, 1x1 projection shortcut, average pool. */
  resnet: {
    input: [8, 8, 3],
    params: {
      stem: [3, 3, 3, 4],
      g0: [4],
      b0: [4],
      c1: [3, 3, 4, 8],
      g1: [8],
      b1: [8],
      c2: [3, 3, 8, 8],
      g2: [8],
      b2: [8],
      proj: [1, 1, 4, 8],
      gp: [8],
      bp: [8],
      fc: [8, 10],
      fb: [10],
    },
    forward: (x, p) => {
      const h = relu(batchNorm(tf.conv2d(t4(x), t4(p.stem!), 1, 'same'), p.g0!, p.b0!));
      const a = relu(batchNorm(tf.conv2d(h, t4(p.c1!), 2, 'same'), p.g1!, p.b1!));
      const b = batchNorm(tf.conv2d(a, t4(p.c2!), 1, 'same'), p.g2!, p.b2!);
      const shortcut = batchNorm(tf.conv2d(h, t4(p.proj!), 2, 'valid'), p.gp!, p.bp!);
      const out = tf.avgPool(t4(relu(tf.add(b, shortcut))), 2, 2, 'valid');
      return dense(tf.mean(out, [1, 2]), p.fc!, p.fb!);
    },
  },
};
