// Per-kernel time of one training step (wasm, one thread): node prof/prof.mjs <workload> [steps]
import * as tf from '@tensorflow/tfjs-core';
import { ArrayDataset, fit, Rng, softmaxCrossEntropy, selectBackend, nodeBackendCandidates } from '@tunelab/core';
import { enableWasmRelaxedSimd } from '@tunelab/core/node';
import { buildZooModel } from '@tunelab/layers';
import { sgd } from '@tunelab/optimizers';
enableWasmRelaxedSimd();
await selectBackend({ candidates: nodeBackendCandidates((s) => import(s)), requested: 'wasm' });
tf.enableProdMode();
const id = process.argv[2] ?? 'm2cnn';
const shapes = { resnet18: [32, 32, 3] };
const batches = { linear: 100, mlp2: 100, cnn4: 100, sepcnn5: 100, basecnn: 32, m2cnn: 64, resnet18: 32 };
const inputShape = shapes[id] ?? [28, 28, 1];
const batch = batches[id];
const steps = Number(process.argv[3] ?? 20);
const model = buildZooModel(id, { inputShape, classes: 10, seed: 0 });
const size = inputShape.reduce((a, b) => a * b, 1);
const n = batch * steps;
const rng = Rng.fromSeed(0);
const x = new Uint8Array(n * size); for (let i = 0; i < x.length; i++) x[i] = rng.nextUint32() & 255;
const y = Uint8Array.from({ length: n }, () => rng.int(10));
const train = new ArrayDataset({ x, y, inputShape, numClasses: 10, scale: 1 / 255 });
const optimizer = sgd({ lr: 0.01 });
const opts = { loss: softmaxCrossEntropy, optimizer, batchSize: batch, rng: Rng.fromSeed(1), logEvery: 50, train, epochs: 1 };
await fit(model, opts);
let t = performance.now();
await fit(model, opts);
const wall = (performance.now() - t) / steps;
const byKernel = new Map();
const prof = await tf.profile(async () => { await fit(model, opts); });
for (const k of prof.kernels) {
  const e = byKernel.get(k.name) ?? { ms: 0, n: 0 };
  e.ms += await k.kernelTimeMs; e.n++;
  byKernel.set(k.name, e);
}
const rows = [...byKernel].sort((a, b) => b[1].ms - a[1].ms);
let total = 0; for (const [, e] of rows) total += e.ms;
console.log(`${id} batch ${batch}: ${wall.toFixed(3)} ms/step wall (${(batch / wall * 1000).toFixed(0)} samples/s), kernels ${(total / steps).toFixed(3)} ms/step, ${(prof.kernels.length / steps).toFixed(1)} kernels/step`);
for (const [name, e] of rows.slice(0, 25)) console.log(`${name.padEnd(34)} ${(e.ms / steps).toFixed(3).padStart(8)} ms/step  ${(e.n / steps).toFixed(1)}x`);
