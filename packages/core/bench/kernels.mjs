// Training throughput of the BENCHMARKS.md CNN workloads on the tfjs wasm backend with tunelab's
// training kernels, plus the per-kernel time split of one step.
//
//   pnpm exec turbo run build --filter=@tunelab/core
//   node packages/core/bench/kernels.mjs [cnn4,sepcnn5,basecnn,m2cnn|resnet18] [--warmup 10]
//     [--seconds 3 | --steps N] [--repeats 3] [--batch N]
//
// Each workload: plain tfjs-core ops, synthetic data built as typed arrays and turned into
// tensors per batch (never sliced from a resident tensor), tf.variableGrads + SGD by assign.
// Prints the median samples/s of --repeats timed windows (the machine is shared: expect noise).
// resnet18 at its BENCHMARKS.md batch of 128 exceeds the 4 GB wasm heap: use --batch 32.
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { gradientsRegistered, registerWasmTrainingKernels } from '../dist/index.js';
import { workloads } from './workloads.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ids = (
  args.find((a) => !a.startsWith('--') && Number.isNaN(Number(a))) ?? 'cnn4,sepcnn5,basecnn,m2cnn'
).split(',');
const warmupSteps = option('warmup', 10);
const timedSteps = option('steps', 0);
const minSeconds = option('seconds', 3);
const batchOverride = option('batch', 0);
const repeats = option('repeats', 3);

if (!gradientsRegistered || typeof registerWasmTrainingKernels !== 'function') {
  throw new Error(
    "@tunelab/core's dist does not export registerWasmTrainingKernels: export it from src/index.ts " +
      "(export { registerWasmTrainingKernels } from './kernels/index.js') and rebuild core",
  );
}
await tf.setBackend('wasm');
await tf.ready();
registerWasmTrainingKernels();
tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);

/** Random batches as typed arrays: inputs in [0, 1), one-hot labels. */
function syntheticBatches(batch, inputShape, count) {
  const size = inputShape.reduce((a, b) => a * b, 1);
  return Array.from({ length: count }, () => {
    const x = new Float32Array(batch * size);
    for (let i = 0; i < x.length; i++) x[i] = Math.random();
    const y = new Float32Array(batch * 10);
    for (let i = 0; i < batch; i++) y[i * 10 + Math.floor(Math.random() * 10)] = 1;
    return { x, y };
  });
}

/** SGD, with momentum and weight decay where the workload has them (PyTorch's update rule). */
function trainer(workload) {
  const params = workload.init();
  const vars = Object.values(params);
  const lr = tf.scalar(workload.learningRate);
  const momentum = workload.momentum ? tf.scalar(workload.momentum) : undefined;
  const decay = workload.weightDecay ? tf.scalar(workload.weightDecay) : undefined;
  const velocity = momentum ? vars.map((v) => tf.variable(tf.zerosLike(v), false)) : [];
  const batches = syntheticBatches(workload.batch, workload.inputShape, 8);
  let next = 0;
  return {
    params,
    step() {
      const { x: xs, y: ys } = batches[next++ % batches.length];
      tf.tidy(() => {
        const x = tf.tensor(xs, [workload.batch, ...workload.inputShape]);
        const y = tf.tensor2d(ys, [workload.batch, 10]);
        const { grads } = tf.variableGrads(
          () => tf.losses.softmaxCrossEntropy(y, workload.forward(x, params)),
          vars,
        );
        for (const [i, v] of vars.entries()) {
          let g = grads[v.name];
          if (decay) g = tf.add(g, tf.mul(decay, v));
          if (momentum) {
            velocity[i].assign(tf.add(tf.mul(momentum, velocity[i]), g));
            g = velocity[i];
          }
          v.assign(tf.sub(v, tf.mul(lr, g)));
        }
      });
    },
    dispose() {
      tf.dispose([...vars, ...velocity, lr, momentum, decay].filter(Boolean));
    },
  };
}

/** Bytes the wasm heap holds (it only grows: a rising figure across windows is a leak). */
const heapMb = () => (tf.backend().wasm.HEAPU8.length / 2 ** 20).toFixed(0);

/** Trains `steps` steps, or for `seconds`; resolves to [steps, seconds]. */
async function timedWindow(t) {
  const t0 = performance.now();
  let steps = 0;
  while (timedSteps > 0 ? steps < timedSteps : performance.now() - t0 < minSeconds * 1000) {
    t.step();
    steps++;
  }
  await t.params[Object.keys(t.params)[0]].data();
  return [steps, (performance.now() - t0) / 1000];
}

/** Kernel time of one profiled step, by kernel name, slowest first. */
async function kernelSplit(t) {
  const profile = await tf.profile(() => t.step());
  const byKernel = new Map();
  for (const k of profile.kernels) {
    const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += k.kernelTimeMs;
    entry.calls++;
    byKernel.set(k.name, entry);
  }
  return [...byKernel].sort((a, b) => b[1].ms - a[1].ms);
}

for (const id of ids) {
  if (!workloads[id]) {
    throw new Error(`unknown workload "${id}": expected one of ${Object.keys(workloads)}`);
  }
  const workload = { ...workloads[id], batch: batchOverride || workloads[id].batch };
  const t = trainer(workload);
  for (let i = 0; i < warmupSteps; i++) t.step();
  await t.params[Object.keys(t.params)[0]].data();
  const tensors = tf.memory().numTensors;

  const rates = [];
  for (let r = 0; r < repeats; r++) {
    const [steps, seconds] = await timedWindow(t);
    rates.push((steps * workload.batch) / seconds);
  }
  const median = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)];
  console.log(
    `${id}: ${median.toFixed(0)} samples/s, median of ${rates.map((r) => r.toFixed(0)).join(' / ')} ` +
      `(batch ${workload.batch}, ${((1000 * workload.batch) / median).toFixed(2)} ms/step; wasm heap ${heapMb()} MB, ` +
      `tensors ${tensors} -> ${tf.memory().numTensors})`,
  );

  const split = await kernelSplit(t);
  const total = split.reduce((a, [, e]) => a + e.ms, 0);
  console.log(`  one profiled step: ${total.toFixed(2)} ms of kernels`);
  for (const [name, e] of split) {
    if (e.ms < total * 0.01) continue;
    console.log(
      `  ${name.padEnd(36)} ${e.ms.toFixed(2).padStart(8)} ms  ${String(e.calls).padStart(4)} calls`,
    );
  }
  t.dispose();
}
