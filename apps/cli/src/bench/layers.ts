import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '@tunelab/core';
import { stepsFor, type Timing, WARM_UP_SECONDS, warmUp } from './timing.js';
import type { Workload } from './workloads.js';

const same = { padding: 'same' as const, activation: 'relu' as const };

function resnet18(input: tfl.SymbolicTensor): tfl.SymbolicTensor {
  const convBn = (x: tfl.SymbolicTensor, filters: number, stride: number, kernel = 3) =>
    tfl.layers
      .batchNormalization()
      .apply(
        tfl.layers
          .conv2d({ filters, kernelSize: kernel, strides: stride, padding: 'same', useBias: false })
          .apply(x),
      ) as tfl.SymbolicTensor;
  const block = (x: tfl.SymbolicTensor, filters: number, stride: number) => {
    let h = tfl.layers
      .activation({ activation: 'relu' })
      .apply(convBn(x, filters, stride)) as tfl.SymbolicTensor;
    h = convBn(h, filters, 1);
    const shortcut = stride !== 1 || x.shape[3] !== filters ? convBn(x, filters, stride, 1) : x;
    return tfl.layers
      .activation({ activation: 'relu' })
      .apply(tfl.layers.add().apply([h, shortcut])) as tfl.SymbolicTensor;
  };
  let h = tfl.layers
    .activation({ activation: 'relu' })
    .apply(convBn(input, 64, 1)) as tfl.SymbolicTensor;
  for (const [filters, stride] of [
    [64, 1],
    [128, 2],
    [256, 2],
    [512, 2],
  ] as const)
    h = block(block(h, filters, stride), filters, 1);
  return tfl.layers.globalAveragePooling2d({}).apply(h) as tfl.SymbolicTensor;
}

/** The workload as a tfjs-layers model (softmax output, for sparse categorical cross-entropy). */
export function layersModel(w: Workload): tfl.LayersModel {
  const input = tfl.input({ shape: [...w.inputShape] });
  const conv = (filters: number, k: number) =>
    tfl.layers.conv2d({ filters, kernelSize: k, ...same });
  const pool = () => tfl.layers.maxPooling2d({ poolSize: 2 });
  const dense = (units: number) => tfl.layers.dense({ units, activation: 'relu' });
  const stacks: Record<Workload['id'], () => tfl.SymbolicTensor> = {
    linear: () => tfl.layers.flatten().apply(input) as tfl.SymbolicTensor,
    mlp2: () => chain(input, [tfl.layers.flatten(), dense(32), dense(32)]),
    cnn4: () =>
      chain(input, [conv(8, 3), pool(), conv(8, 3), pool(), tfl.layers.flatten(), dense(32)]),
    sepcnn5: () =>
      chain(input, [
        tfl.layers.separableConv2d({ filters: 8, kernelSize: 3, ...same }),
        tfl.layers.separableConv2d({ filters: 4, kernelSize: 3, ...same }),
        pool(),
        tfl.layers.flatten(),
        dense(32),
      ]),
    basecnn: () =>
      chain(input, [conv(16, 2), pool(), conv(32, 2), tfl.layers.globalAveragePooling2d({})]),
    m2cnn: () =>
      chain(input, [
        conv(16, 3),
        pool(),
        conv(32, 3),
        pool(),
        conv(64, 3),
        tfl.layers.globalAveragePooling2d({}),
      ]),
    resnet18: () => resnet18(input),
  };
  const output = tfl.layers
    .dense({ units: 10, activation: 'softmax' })
    .apply(stacks[w.id]()) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: output });
  const optimizer = w.momentum ? tf.train.momentum(w.lr, w.momentum) : tf.train.sgd(w.lr);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
  return model;
}

function chain(input: tfl.SymbolicTensor, layers: tfl.layers.Layer[]): tfl.SymbolicTensor {
  return layers.reduce((x, l) => l.apply(x) as tfl.SymbolicTensor, input);
}

/** Samples/s of tfjs-layers' model.fit on the same workload, data resident as tensors (how fit takes it). */
export async function timeLayersFit(
  w: Workload,
  seconds: number,
  batch = w.batch,
): Promise<Timing> {
  const model = layersModel(w);
  const rng = Rng.fromSeed(0);
  const size = w.inputShape.reduce((a, b) => a * b, 1);
  const data = (n: number) =>
    tf.tidy(
      () =>
        [
          tf.tensor(rng.uniformArray(n * size, 0, 1), [n, ...w.inputShape]),
          tf.tensor1d(
            Array.from({ length: n }, () => rng.int(10)),
            'float32',
          ),
        ] as const,
    );
  const run = async (steps: number) => {
    const [x, y] = data(steps * batch);
    const t = performance.now();
    await model.fit(x, y, { batchSize: batch, epochs: 1, shuffle: false, verbose: 0 });
    const elapsed = (performance.now() - t) / 1000;
    tf.dispose([x, y]);
    return elapsed;
  };
  try {
    const light = w.id === 'resnet18';
    await warmUp(run, WARM_UP_SECONDS, light ? 1 : 10);
    const probe = light ? 1 : 5;
    const steps = stepsFor(await run(probe), probe, seconds, 2);
    const elapsed = await run(steps);
    return { samplesPerSecond: (steps * batch) / elapsed, steps, seconds: elapsed, batch };
  } finally {
    model.dispose();
  }
}
