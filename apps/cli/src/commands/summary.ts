import * as tf from '@tensorflow/tfjs-core';
import {
  buildZooModel,
  formatSummary,
  isZooName,
  type ModelSummary,
  summarize,
  zoo,
  zooNames,
} from '@tunelab/layers';
import { Command, InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.js';
import { positiveInt } from './options.js';

interface SummaryFlags {
  input?: number[];
  classes?: number;
  head: boolean;
  json?: boolean;
}

/** What `tunelab summary` summarises: a zoo model and the options it is built with. */
export interface SummaryRequest {
  /** A zoo name (mlp, lenet5, vgg16, ..., the benchmark workload ids). */
  model: string;
  /** Input shape per example; the model's default when absent. */
  input?: readonly number[] | undefined;
  /** Classes; the model's default when absent. */
  classes?: number | undefined;
  /** Keep the classifier head. Default true. */
  head?: boolean;
}

/** Commander parser for --input: comma-separated positive integers, e.g. "32,32,3". */
export function inputShape(value: string): number[] {
  const dims = value.split(',').map((d) => Number(d.trim()));
  if (dims.length < 1 || dims.length > 3 || !dims.every((d) => Number.isInteger(d) && d > 0)) {
    throw new InvalidArgumentError(
      `expected H,W,C as positive integers (e.g. 32,32,3; or one number for a vector), got "${value}"`,
    );
  }
  return dims;
}

/**
 * Builds zoo model `request.model` (weights left at zero: no random draws, nothing read) and
 * summarises it analytically. Needs a registered tfjs backend to hold the weights. Throws a
 * UsageError for an unknown name (listing the known ones) or an input the model rejects.
 */
export function summarizeZooModel(request: SummaryRequest): ModelSummary {
  const { model: name } = request;
  if (!isZooName(name)) {
    throw new UsageError(`Unknown model "${name}": expected one of ${zooNames.join(', ')}`);
  }
  const entry = zoo[name];
  const input = request.input ?? entry.inputShape;
  let model: ReturnType<typeof buildZooModel> | undefined;
  try {
    model = buildZooModel(name, {
      inputShape: input,
      ...(request.classes === undefined ? {} : { classes: request.classes }),
      head: request.head ?? true,
      init: 'zeros',
    });
    return summarize(model, input);
  } catch (error) {
    throw new UsageError(`${name} on input [${input.join(', ')}]: ${(error as Error).message}`);
  } finally {
    model?.dispose();
  }
}

export function summaryCommand(): Command {
  return new Command('summary')
    .summary('per-layer shapes, parameters, MACs, connections and receptive fields of a model')
    .description(
      'Summarise a zoo model without running it: per layer the output shape, parameters ' +
        '(trainable and frozen), multiply-accumulates, connections (as LeNet counts them) and ' +
        'receptive field, then the totals. Computed from the architecture alone, so VGG-16 on ' +
        '224x224 is instant. Models: ' +
        zooNames.join(', ') +
        '.',
    )
    .argument('<model>', `a zoo model: ${zooNames.join(', ')}`)
    .option('--input <H,W,C>', "input shape per example (default: the model's own)", inputShape)
    .option('--classes <n>', "number of classes (default: the model's own)", positiveInt)
    .option('--no-head', "drop the classifier head (e.g. VGG's fully connected layers)")
    .option(
      '--json',
      'print JSON: totals { params, trainableParams, frozenParams, macs, ... } and layers [{ name, type, outputShape, params, macs, connections, receptiveField, ... }]',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ tunelab summary vgg16
  $ tunelab summary vgg16 --input 32,32,3 --classes 10
  $ tunelab summary resnet18 --no-head --json
  $ tunelab summary lenet5

Exit codes: 0 printed, 2 unknown model or bad option.`,
    )
    .action(async (name: string, flags: SummaryFlags) => {
      tf.enableProdMode(); // no tfjs console banner: the summary needs no kernels beyond shapes
      await import('@tensorflow/tfjs-backend-cpu');
      await tf.setBackend('cpu');
      const summary = summarizeZooModel({
        model: name,
        input: flags.input,
        classes: flags.classes,
        head: flags.head,
      });
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        return;
      }
      const entry = zoo[name as keyof typeof zoo];
      process.stdout.write(`${name}: ${entry.description}\n${formatSummary(summary)}\n`);
    });
}
