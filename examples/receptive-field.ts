/**
 * Receptive fields: stacked small filters against one large filter (USECASES section 2).
 *
 * A stride-1 convolution with a k x k kernel widens the receptive field by k - 1 pixels, so
 * n stacked 3x3 layers see (2n + 1) x (2n + 1) pixels: two see 5x5, three see 7x7, as one
 * 5x5 or 7x7 layer would. With C channels in and out (no biases), one k x k layer has
 * k^2 C^2 weights: two 3x3 layers have 2 * 9 C^2 = 18 C^2 against 25 C^2 for one 5x5, and
 * three 3x3 have 27 C^2 against 49 C^2 for one 7x7 (Simonyan & Zisserman 2014, section 2.3),
 * with a non-linearity after each layer besides. The numbers come from the model summary.
 *
 *   node --import jiti/register examples/receptive-field.ts   # (reduced and full are the same)
 */
import { Rng } from '@tunelab/core';
import { Conv2D, ReLU, Sequential, summarize } from '@tunelab/layers';
import { useBackend } from './lib/backend.js';
import { logger, type RunOptions, runWhenMain } from './lib/cli.js';

/** `layers` convolutions of `kernel` x `kernel`, `channels` in and out, 'same' padding, no bias. */
function stack(layers: number, kernel: number, channels: number): Sequential {
  const rng = Rng.fromSeed(0);
  const modules = [];
  for (let i = 0; i < layers; i++) {
    modules.push(
      new Conv2D({
        inputChannels: channels,
        filters: channels,
        kernelSize: kernel,
        padding: 'same',
        bias: false,
        rng: rng.fork(`${i}`),
      }),
      new ReLU(),
    );
  }
  return new Sequential(modules);
}

export async function run(options: RunOptions) {
  const log = logger(options);
  await useBackend('exact');
  const channels = 64;
  const input = [32, 32, channels];
  const designs = [
    { name: 'two 3x3', layers: 2, kernel: 3 },
    { name: 'one 5x5', layers: 1, kernel: 5 },
    { name: 'three 3x3', layers: 3, kernel: 3 },
    { name: 'one 7x7', layers: 1, kernel: 7 },
  ];
  const results: Record<
    string,
    { receptiveField: [number, number] | null; params: number; macs: number }
  > = {};
  for (const d of designs) {
    const model = stack(d.layers, d.kernel, channels);
    const summary = summarize(model, input);
    model.dispose();
    const last = summary.layers.at(-1)!;
    results[d.name] = {
      receptiveField: last.receptiveField,
      params: summary.totals.params,
      macs: summary.totals.macs,
    };
    log(
      `${d.name.padEnd(10)} receptive field ${last.receptiveField?.join('x')}, ${summary.totals.params.toLocaleString('en')} weights, ${(summary.totals.macs / 1e6).toFixed(1)} M MACs on 32x32`,
    );
  }
  return { channels, results };
}

runWhenMain(import.meta.url, run);
