// `tunelab sweep --dry-run`: what each trial would run, without training.
import { evaluationPoints, iterationsPerEpoch } from '@tunelab/core';
import { prepareData } from '../data/prepare.js';
import type { Experiment } from '../schema/experiment.js';
import type { Trial } from '../sweep/plan.js';
import { openExperimentData } from './data.js';

/** One trial of a dry run: where it sits, what it trains, and when it would be evaluated. */
export interface PlannedRun {
  /** The trial id (t01, ...). */
  readonly id: string;
  /** "model=Model 1 setting=Setting 1". */
  readonly label: string;
  /** Position on each axis. */
  readonly axes: Readonly<Record<string, string>>;
  /** An explicit trial's cell title ("5 epochs, lr 0.0001"). */
  readonly title?: string;
  /** Epochs to train. */
  readonly epochs: number;
  /** Examples per update. */
  readonly batchSize: number;
  /** The optimizer's learning rate. */
  readonly lr: number;
  /** Training examples after the split (and trainLimit). */
  readonly trainExamples: number;
  /** Updates over all epochs. */
  readonly updates: number;
  /** Training samples at which the periodic evaluation runs (empty without evaluation.everySamples). */
  readonly evaluations: number[];
  /** The split evaluated as held-out data: 'validation', or 'test' with evaluation.heldOut 'test'. */
  readonly heldOut: 'validation' | 'test';
}

/**
 * Plans every trial against its real data split (loaded once per distinct data section,
 * seed and trainLimit): training examples, updates and the periodic evaluation points,
 * computed as fit computes them (evaluationPoints), without training.
 */
export function dryRun(trials: readonly Trial[]): PlannedRun[] {
  const sizes = new Map<string, number>();
  const trainSize = (e: Experiment) => {
    const key = JSON.stringify([e.data, e.seed, e.trainLimit]);
    if (!sizes.has(key)) sizes.set(key, prepareData(e, openExperimentData(e)).train.size);
    return sizes.get(key)!;
  };
  return trials.map((t) => {
    const e = t.experiment;
    const trainExamples = trainSize(e);
    const every = e.evaluation?.everySamples;
    return {
      id: t.id,
      label: t.label,
      axes: t.axes,
      ...(t.title ? { title: t.title } : {}),
      epochs: e.epochs,
      batchSize: e.batchSize,
      lr: e.optimizer.lr,
      trainExamples,
      updates: e.epochs * iterationsPerEpoch(trainExamples, e.batchSize),
      evaluations: every
        ? evaluationPoints({
            trainSize: trainExamples,
            batchSize: e.batchSize,
            epochs: e.epochs,
            everySamples: every,
          })
        : [],
      heldOut: e.evaluation?.heldOut ?? 'validation',
    };
  });
}
