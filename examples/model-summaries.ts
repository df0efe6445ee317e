/**
 * Model summaries of LeNet-5, VGG-16 and ResNet-18 (USECASES sections 2 and 5).
 *
 * A summary lists per layer the output shape, parameters (trainable and frozen),
 * multiply-accumulates (MACs), connections as LeNet counts them (inputs wired to each
 * output unit, bias included) and the receptive field. It is computed from the architecture
 * alone, never by running the model, and the weights are not even drawn (init: 'zeros'), so
 * VGG-16 at 224x224 takes milliseconds. The tables go to examples/output/model-summaries/.
 * Same from the command line: `tunelab summary vgg16`.
 *
 *   node --import jiti/register examples/model-summaries.ts   # (reduced and full are the same)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  formatSummary,
  lenet5,
  type ModelSummary,
  resnet18,
  summarize,
  vgg16,
} from '@tunelab/layers';
import { modelSummaryTable, toMarkdown } from '@tunelab/reports';
import { useBackend } from './lib/backend.js';
import { logger, type RunOptions, runWhenMain } from './lib/cli.js';
import { outputDir } from './lib/output.js';

export async function run(options: RunOptions) {
  const log = logger(options);
  await useBackend('exact'); // building the (zero) weights needs a backend; nothing runs
  const dir = outputDir('model-summaries');
  const models = {
    // 32x32 greyscale, as in the paper (MNIST padded by 2).
    lenet5: { build: () => lenet5({ init: 'zeros' }), input: [32, 32, 1] },
    // ImageNet size: 224x224x3 and 1,000 classes.
    vgg16: { build: () => vgg16({ init: 'zeros' }), input: [224, 224, 3] },
    // The CIFAR-10 variant: 32x32x3 and 10 classes.
    resnet18: { build: () => resnet18({ init: 'zeros' }), input: [32, 32, 3] },
  };
  const summaries: Record<string, ModelSummary> = {};
  for (const [name, { build, input }] of Object.entries(models)) {
    const model = build();
    const summary = summarize(model, input);
    model.dispose();
    summaries[name] = summary;
    log(`\n${name} on [${input}]\n${formatSummary(summary)}`);
    writeFileSync(join(dir, `${name}.md`), toMarkdown(modelSummaryTable(summary)));
  }
  const lenet = summaries.lenet5!;
  const vgg = summaries.vgg16!;
  const c3 = lenet.layers.find((l) => l.name.endsWith('c3'))!;
  log(
    `\nLeNet-5 C3 (the partial connection table): ${c3.params} parameters, ${c3.connections} connections`,
  );
  log(
    `VGG-16: ${vgg.totals.params} parameters, ${(vgg.totals.macs / 1e9).toFixed(2)} G MACs per image`,
  );
  log(`tables: ${dir}`);

  return {
    lenet5: lenet.totals,
    lenetC3: { params: c3.params, connections: c3.connections },
    vgg16: vgg.totals,
    vggLastConvField: vgg.layers.find((l) => l.name.endsWith('block5_conv3'))!.receptiveField,
    resnet18: summaries.resnet18!.totals,
  };
}

runWhenMain(import.meta.url, run);
