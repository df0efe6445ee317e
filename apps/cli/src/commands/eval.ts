import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  confusionOf,
  evaluate,
  loadWeights,
  perClassAccuracy,
  Rng,
  softmaxCrossEntropy,
} from '@tunelab/core';
import { listRuns, RunWriter, readRun } from '@tunelab/core/node';
import { constructModel, experimentSchema, formatIssues, prepareData } from '@tunelab/experiment';
import { nodeModelSources, openExperimentData } from '@tunelab/experiment/node';
import { Command } from 'commander';
import pc from 'picocolors';
import { chooseBackend, describeSelection } from '../backend.js';
import { UsageError } from '../errors.js';
import { lendModules } from '../lent/modules.js';
import { SWEEP_FILE } from '../sweep/state.js';
import { fmt } from '../train/progress.js';

interface EvalFlags {
  split: 'validation' | 'test';
  weights: 'final' | 'best';
  force?: boolean;
  json?: boolean;
  backend?: string;
}

/**
 * Other runs of the same sweep whose test split was evaluated: evaluating several trials on
 * test and keeping the best is tuning on test data.
 */
function testedSiblings(runDir: string): string[] {
  const sweepDir = dirname(runDir);
  if (!existsSync(join(sweepDir, SWEEP_FILE))) return [];
  return listRuns(sweepDir)
    .filter((r) => r.dir !== runDir && r.record.testEvaluations.length > 0)
    .map((r) => r.record.id);
}

/** What eval says about the test split of a run trained with evaluation.heldOut 'test'. */
export const TEST_SEEN_NOTE =
  "note: this run evaluated the test split during training (evaluation.heldOut 'test'), so this test accuracy was looked at while training and is not an unbiased estimate of accuracy on new data";

export function evalCommand(): Command {
  return new Command('eval')
    .summary("evaluate a run's model on its validation or test split")
    .description(
      'Evaluate the weights of a finished run on a split of its data (the same seeded split it ' +
        'was trained with): loss, accuracy, per-class accuracy and the confusion matrix. Only this ' +
        'command ever evaluates the test split, only for the run you name, and the run record notes ' +
        'it. Choose the model first (by validation metrics, e.g. with tunelab sweep), then look at test. ' +
        "A run trained with evaluation.heldOut 'test' already looked at test every epoch; eval says so.",
    )
    .argument('<run>', 'run directory')
    .option('--split <name>', 'validation or test', 'validation')
    .option(
      '--weights <which>',
      'final (model.safetensors) or best (best.safetensors, from checkpointBest)',
      'final',
    )
    .option(
      '--force',
      'evaluate test even though another trial of the same sweep was evaluated on test',
    )
    .option('-b, --backend <name>', 'tfjs backend (default: automatic)')
    .option('--json', 'print JSON: split, metrics, perClassAccuracy, confusion')
    .addHelpText(
      'after',
      '\nExample:\n  $ tunelab eval runs/sweep-coursework-1a2b3c4d/t07 --split test',
    )
    .action(async (dir: string, flags: EvalFlags) => {
      if (flags.split !== 'validation' && flags.split !== 'test')
        throw new UsageError(`--split must be validation or test, got "${flags.split}"`);
      const run = readRun(dir);
      const { file: _file, ...config } = run.record.config as Record<string, unknown>;
      const parsed = experimentSchema.safeParse(config);
      if (!parsed.success)
        throw new UsageError(formatIssues(`${dir}/run.json config`, parsed.error));
      const experiment = parsed.data;
      if (run.status === 'running')
        throw new UsageError(
          `${dir}: the run is still training (status running); evaluate it when it has finished`,
        );
      if (flags.split === 'test') {
        const siblings = testedSiblings(run.dir);
        if (siblings.length > 0 && !flags.force) {
          throw new UsageError(
            `${dir}: the test split of this sweep was already evaluated for ${siblings.join(', ')}. Evaluating several trials on test and keeping the best is tuning on test data. Pass --force to evaluate anyway (the run record notes it).`,
          );
        }
      }
      const weightsFile = join(
        run.dir,
        'artifacts',
        flags.weights === 'best' ? 'best.safetensors' : 'model.safetensors',
      );
      if (!existsSync(weightsFile))
        throw new UsageError(
          `${weightsFile}: not found${flags.weights === 'best' ? ' (the run did not use checkpointBest)' : ''}`,
        );

      const selection = await chooseBackend(flags.backend ?? experiment.backend);
      const print = flags.json
        ? (l: string) => process.stderr.write(`${l}\n`)
        : (l: string) => process.stdout.write(`${l}\n`);
      print(`backend: ${describeSelection(selection)}`);
      const data = prepareData(experiment, openExperimentData(experiment));
      const recorded = (run.record.data?.split as { fingerprint?: string } | undefined)
        ?.fingerprint;
      if (recorded && recorded !== data.split.fingerprint) {
        throw new UsageError(
          `${dir}: the data split changed since training (fingerprint ${recorded}, now ${data.split.fingerprint})`,
        );
      }
      // The trained weights are loaded next: init and freeze do not matter here.
      const model = await constructModel(
        experiment.model,
        { inputShape: data.inputShape, classes: data.numClasses },
        Rng.fromSeed(experiment.seed).fork('init'),
        nodeModelSources(await lendModules()),
      );
      loadWeights(model, readFileSync(weightsFile), weightsFile);
      const dataset = flags.split === 'test' ? data.test : data.validation;
      const result = await evaluate(model, dataset, { loss: softmaxCrossEntropy });
      const matrix = await confusionOf(model, dataset);
      model.dispose();
      const prefix = flags.split === 'test' ? 'test' : 'val';
      const metrics = { [`${prefix}Loss`]: result.loss!, [`${prefix}Accuracy`]: result.accuracy! };
      const perClass = perClassAccuracy(matrix);

      if (flags.split === 'test') {
        const writer = RunWriter.open(run.dir);
        const at = new Date().toISOString();
        writer.update({
          testEvaluations: [...run.record.testEvaluations, { at, metrics: { ...metrics } }],
        });
        writer.appendMetrics({
          kind: 'evaluation',
          split: 'test',
          epoch: run.record.progress.epoch,
          step: run.record.progress.step,
          samples: 0,
          time: at,
          metrics: { ...metrics },
        });
        writer.writeArtifact(
          'confusion-test.json',
          `${JSON.stringify({ split: 'test', weights: flags.weights, classes: data.loaded.classes, matrix })}\n`,
          'application/json',
          'confusion matrix on the test split',
        );
      }
      // A run trained with evaluation.heldOut 'test' looked at test every epoch: say so.
      const seenInTraining = flags.split === 'test' && run.record.heldOut === 'test';
      const out = {
        run: run.record.id,
        split: flags.split,
        ...(seenInTraining ? { testSeenDuringTraining: true } : {}),
        weights: flags.weights,
        examples: dataset.size,
        metrics,
        perClassAccuracy: Object.fromEntries(data.loaded.classes.map((c, i) => [c, perClass[i]])),
        confusion: matrix,
      };
      if (flags.json) {
        if (seenInTraining) process.stderr.write(`${TEST_SEEN_NOTE}\n`);
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      print(
        `${pc.bold(flags.split)} split of ${run.record.id} (${dataset.size.toLocaleString('en-US')} examples, ${flags.weights} weights): loss ${fmt(result.loss)} accuracy ${fmt(result.accuracy)}`,
      );
      for (const [i, c] of data.loaded.classes.entries())
        print(`  ${c.padEnd(14)} ${fmt(perClass[i], 3)}`);
      if (flags.split === 'test')
        print(pc.dim('recorded in run.json (testEvaluations) and metrics.jsonl'));
      if (seenInTraining) print(TEST_SEEN_NOTE);
    });
}
