// The CNN workloads of BENCHMARKS.md written with plain tfjs-core ops (NHWC), for the kernel bench.
import * as tf from '@tensorflow/tfjs-core';

/** Glorot-uniform weights (the tfjs-layers default) as a variable. */
function glorot(shape, fanIn, fanOut) {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.variable(tf.randomUniform(shape, -limit, limit));
}
const conv = (k, cin, cout) => glorot([k, k, cin, cout], k * k * cin, k * k * cout);
const dense = (n, m) => glorot([n, m], n, m);
const zeros = (n) => tf.variable(tf.zeros([n]));

// Under gradient recording tfjs runs this as Conv2D + Add + Relu. (Fusing only the bias, with
// activation 'linear', is slower: that custom gradient also computes the first layer's
// unneeded input gradient.)
const convRelu = (x, filter, bias) =>
  tf.fused.conv2d({ x, filter, bias, strides: 1, pad: 'same', activation: 'relu' });
const pool = (x) => tf.maxPool(x, 2, 2, 'valid');
const flatten = (x) => tf.reshape(x, [x.shape[0], -1]);
const denseRelu = (a, b, bias) => tf.fused.matMul({ a, b, bias, activation: 'relu' });
const denseLinear = (a, b, bias) => tf.fused.matMul({ a, b, bias });

export const workloads = {
  cnn4: {
    batch: 100,
    learningRate: 0.01,
    inputShape: [28, 28, 1],
    init: () => ({
      w1: conv(3, 1, 8),
      b1: zeros(8),
      w2: conv(3, 8, 8),
      b2: zeros(8),
      w3: dense(392, 32),
      b3: zeros(32),
      w4: dense(32, 10),
      b4: zeros(10),
    }),
    forward: (x, p) => {
      let h = pool(convRelu(x, p.w1, p.b1));
      h = pool(convRelu(h, p.w2, p.b2));
      return denseLinear(denseRelu(flatten(h), p.w3, p.b3), p.w4, p.b4);
    },
  },
  sepcnn5: {
    batch: 100,
    learningRate: 0.01,
    inputShape: [28, 28, 1],
    init: () => ({
      d1: conv(3, 1, 1),
      p1: conv(1, 1, 8),
      b1: zeros(8),
      d2: glorot([3, 3, 8, 1], 9, 9),
      p2: conv(1, 8, 4),
      b2: zeros(4),
      w3: dense(784, 32),
      b3: zeros(32),
      w4: dense(32, 10),
      b4: zeros(10),
    }),
    forward: (x, p) => {
      // Keras SeparableConv2D: depthwise (no bias) then pointwise with bias.
      let h = convRelu(tf.depthwiseConv2d(x, p.d1, 1, 'same'), p.p1, p.b1);
      h = pool(convRelu(tf.depthwiseConv2d(h, p.d2, 1, 'same'), p.p2, p.b2));
      return denseLinear(denseRelu(flatten(h), p.w3, p.b3), p.w4, p.b4);
    },
  },
  basecnn: {
    batch: 32,
    learningRate: 9e-4,
    inputShape: [28, 28, 1],
    init: () => ({
      w1: conv(2, 1, 16),
      b1: zeros(16),
      w2: conv(2, 16, 32),
      b2: zeros(32),
      w3: dense(32, 10),
      b3: zeros(10),
    }),
    forward: (x, p) => {
      let h = pool(convRelu(x, p.w1, p.b1));
      h = tf.mean(convRelu(h, p.w2, p.b2), [1, 2]);
      return denseLinear(h, p.w3, p.b3);
    },
  },
  m2cnn: {
    batch: 64,
    learningRate: 1e-3,
    inputShape: [28, 28, 1],
    init: () => ({
      w1: conv(3, 1, 16),
      b1: zeros(16),
      w2: conv(3, 16, 32),
      b2: zeros(32),
      w3: conv(3, 32, 64),
      b3: zeros(64),
      w4: dense(64, 10),
      b4: zeros(10),
    }),
    forward: (x, p) => {
      let h = pool(convRelu(x, p.w1, p.b1));
      h = pool(convRelu(h, p.w2, p.b2));
      h = tf.mean(convRelu(h, p.w3, p.b3), [1, 2]);
      return denseLinear(h, p.w4, p.b4);
    },
  },
};

/** Batch norm over N, H, W with the batch's statistics (training mode), then scale and shift. */
const batchNorm = (x, gamma, beta) => {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.batchNorm(x, mean, variance, beta, gamma, 1e-5);
};
const ones = (n) => tf.variable(tf.ones([n]));

/** CIFAR ResNet-18 (kuangliu layout): stem conv, four stages of two BasicBlocks, GAP, dense. */
function resnet18Params() {
  const p = { stem: conv(3, 3, 64), g0: ones(64), b0: zeros(64) };
  let cin = 64;
  for (const [stage, c] of [64, 128, 256, 512].entries()) {
    for (const block of [0, 1]) {
      const k = `s${stage}b${block}`;
      const stride = stage > 0 && block === 0 ? 2 : 1;
      Object.assign(p, {
        [`${k}c1`]: conv(3, cin, c),
        [`${k}g1`]: ones(c),
        [`${k}b1`]: zeros(c),
        [`${k}c2`]: conv(3, c, c),
        [`${k}g2`]: ones(c),
        [`${k}b2`]: zeros(c),
      });
      if (stride !== 1 || cin !== c) {
        Object.assign(p, {
          [`${k}sc`]: conv(1, cin, c),
          [`${k}gs`]: ones(c),
          [`${k}bs`]: zeros(c),
        });
      }
      cin = c;
    }
  }
  return Object.assign(p, { fc: dense(512, 10), fb: zeros(10) });
}

function resnet18Forward(x, p) {
  let h = tf.relu(batchNorm(tf.conv2d(x, p.stem, 1, 'same'), p.g0, p.b0));
  for (const stage of [0, 1, 2, 3]) {
    for (const block of [0, 1]) {
      const k = `s${stage}b${block}`;
      const stride = stage > 0 && block === 0 ? 2 : 1;
      const a = tf.relu(
        batchNorm(tf.conv2d(h, p[`${k}c1`], stride, 'same'), p[`${k}g1`], p[`${k}b1`]),
      );
      const b = batchNorm(tf.conv2d(a, p[`${k}c2`], 1, 'same'), p[`${k}g2`], p[`${k}b2`]);
      const shortcut = p[`${k}sc`]
        ? batchNorm(tf.conv2d(h, p[`${k}sc`], stride, 'valid'), p[`${k}gs`], p[`${k}bs`])
        : h;
      h = tf.relu(tf.add(b, shortcut));
    }
  }
  return denseLinear(tf.mean(h, [1, 2]), p.fc, p.fb);
}

/** Not in the default run: one step takes seconds on one core. */
workloads.resnet18 = {
  batch: 128,
  learningRate: 0.1,
  momentum: 0.9,
  weightDecay: 5e-4,
  inputShape: [32, 32, 3],
  init: resnet18Params,
  forward: resnet18Forward,
};
