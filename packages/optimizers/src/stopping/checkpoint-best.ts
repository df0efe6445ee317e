import {
  type Callback,
  type EpochLogs,
  encodeCheckpoint,
  type TrainingContext,
} from '@tunelab/core';
import { BestValue, defaultMode, type MonitorOptions, readMetric } from '../monitor.js';

/**
 * Where artifacts go: core's RunWriter (from '@tunelab/core/node') has this method. Typed by
 * shape so this package needs no Node.js import.
 */
export interface ArtifactWriter {
  /** Writes artifacts/<name>, lists it in the run record, returns its path. */
  writeArtifact(name: string, data: Uint8Array, kind: string, description?: string): string;
}

/** Options of {@link checkpointBest}; `monitor` defaults to 'valLoss'. */
export interface CheckpointBestOptions extends MonitorOptions {
  /** The run being written. */
  writer: ArtifactWriter;
  /** Artifact file name. Default 'best.safetensors'. */
  name?: string;
  /**
   * Best value from before (when resuming a run): only epochs that improve on it write a
   * checkpoint. Default none: the first epoch always writes.
   */
  initialBest?: number;
}

/**
 * Writes a checkpoint (core's encodeCheckpoint: weights, optimizer state, epoch and step) as
 * the artifact `best.safetensors` each time the monitored metric improves, replacing the
 * previous one. The metadata records the monitor, its value and the epoch; restore it with
 * restoreCheckpoint from @tunelab/core. One instance per run: the best value carries over
 * between fit calls on the same run (see `initialBest` for a new process).
 * ```ts
 * const writer = RunWriter.create('runs', { ... }); // from '@tunelab/core/node'
 * const best = checkpointBest({ writer, monitor: 'valAccuracy' });
 * await fit(model, { ..., callbacks: [recordRun(writer), best] });
 * ```
 */
export function checkpointBest(options: CheckpointBestOptions): CheckpointBest {
  return new CheckpointBest(options);
}

/** The callback {@link checkpointBest} returns; see there. */
export class CheckpointBest implements Callback {
  /** The epoch metric watched ('valLoss' by default). */
  readonly monitor: string;
  readonly #writer: ArtifactWriter;
  readonly #name: string;
  readonly #mode: 'min' | 'max';
  readonly #best: BestValue;
  #bestEpoch = 0;
  #path: string | null = null;

  constructor(options: CheckpointBestOptions) {
    if (typeof options.writer?.writeArtifact !== 'function')
      throw new Error(
        `checkpointBest: writer must have a writeArtifact method, got ${options.writer}`,
      );
    this.monitor = options.monitor ?? 'valLoss';
    this.#writer = options.writer;
    this.#name = options.name ?? 'best.safetensors';
    this.#mode = options.mode ?? defaultMode(this.monitor);
    this.#best = new BestValue('checkpointBest', this.#mode, options.minDelta ?? 0);
    if (options.initialBest !== undefined) this.#best.update(options.initialBest);
  }

  /** Epoch of the checkpoint written last (0 before any). */
  get bestEpoch(): number {
    return this.#bestEpoch;
  }

  /** Absolute path returned by the writer for the last checkpoint, or null. */
  get path(): string | null {
    return this.#path;
  }

  /** Writes a checkpoint when `logs.metrics[monitor]` improves on the best so far. */
  async onEpochEnd(logs: EpochLogs, ctx: TrainingContext): Promise<void> {
    const value = readMetric('checkpointBest', logs.metrics, this.monitor);
    if (!this.#best.update(value)) return;
    const bytes = await encodeCheckpoint(
      ctx.model,
      ctx.optimizer,
      { epoch: logs.epoch, step: logs.step },
      { monitor: this.monitor, mode: this.#mode, value: String(value) },
    );
    this.#path = this.#writer.writeArtifact(
      this.#name,
      bytes,
      'application/safetensors',
      `checkpoint (weights and optimizer state) with the best ${this.monitor}, ${value}, at epoch ${logs.epoch}`,
    );
    this.#bestEpoch = logs.epoch;
  }
}
