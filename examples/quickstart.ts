/**
 * Quickstart: a small MLP on the real Fashion-MNIST.
 *
 * The official 60,000 train + 10,000 test images are merged, shuffled with the seed and split
 * 80/10/10 (56,000 / 7,000 / 7,000). The model trains on the first part and is validated on
 * the second after every epoch; the test part is left alone.
 *
 *   pnpm quickstart                       # or: tunelab train examples/quickstart.ts
 *   tunelab train examples/quickstart.ts --epochs 1 --train-limit 5000   # a quick look
 */
import { defineExperiment } from 'tunelab';

export default defineExperiment({
  name: 'quickstart',
  seed: 42,
  data: { dataset: 'fashion-mnist', split: [0.8, 0.1, 0.1] },
  model: { name: 'mlp', hidden: [128] },
  optimizer: { name: 'adam', lr: 1e-3 },
  epochs: 5,
  batchSize: 64,
});
