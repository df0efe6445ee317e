import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BackendSelection, Callback } from '@tunelab/core';
import { describeEnvironment, type RunOnDisk, RunWriter } from '@tunelab/core/node';
import { svgToPng } from '@tunelab/reports/node';
import { type ExperimentResult, runExperiment } from '../run/run.js';
import type { Experiment } from '../schema/experiment.js';
import { openExperimentData } from './data.js';
import { nodeReplicas } from './replicas.js';
import { nodeModelSources } from './sources.js';

/** Where output goes and what was asked for on the command line. */
export interface TrainContext {
  /** Folder that receives the run directory (a new run). */
  outDir: string;
  /** Name of the run directory instead of a generated one (sweep trials). */
  runId?: string;
  /** The experiment file, recorded in the run. */
  file: string;
  /** The backend training runs on (recorded in the run's environment). */
  selection: BackendSelection;
  /** Versions recorded in the run's environment besides Node's and tfjs's, e.g. { tunelab: '0.1.0' }. */
  versions?: Record<string, string>;
  /** Replica threads (data parallel over cores), or 'auto' (autoReplicaCount). Default 'auto'. */
  workers?: number | 'auto';
  /** The replica threads' entry module (it calls serveReplica); needed when workers is not 0. */
  replicaWorker?: URL;
  /** Module specifiers redirected when importing builder files (as for the experiment file). */
  alias?: Readonly<Record<string, string>>;
  /** Human-readable lines (epoch lines, summary). */
  print: (line: string) => void;
  /** Further callbacks, after the run's own (e.g. a progress bar). */
  callbacks?: Callback[];
  /** Aborting stops training after the current batch; the run ends 'interrupted'. */
  signal?: AbortSignal;
  /** Continue this run from its last checkpoint instead of starting a new one. */
  resume?: RunOnDisk;
}

/** What a finished (or interrupted) training run produced, with its directory. */
export interface TrainResult extends Omit<ExperimentResult, 'run'> {
  /** The run directory (absolute). */
  readonly runDir: string;
  /** The run id (the directory's name). */
  readonly runId: string;
  /** The backend it trained on. */
  readonly backend: string;
}

/**
 * Runs one experiment in Node (`tunelab train`, sweep trials, resume): its dataset read from
 * disk, a run directory written by RunWriter, PNG twins of the curves, builder files imported,
 * previous runs' weights read for `model.init`, and data-parallel replica threads. The
 * pipeline itself is {@link runExperiment}, the same one the browser runs.
 */
export async function trainExperiment(
  experiment: Experiment,
  ctx: TrainContext,
): Promise<TrainResult> {
  const data = openExperimentData(experiment);
  let created: RunWriter | undefined;
  const resume = ctx.resume;
  const checkpoint = resume ? join(resume.dir, 'artifacts', 'checkpoint.safetensors') : '';
  const result = await runExperiment(experiment, {
    data,
    createRun(run) {
      created = RunWriter.create(ctx.outDir, run);
      ctx.print(`run: ${created.dir}`);
      return created;
    },
    environment: describeEnvironment(ctx.selection, ctx.versions ?? {}),
    ...(resume
      ? {
          resume: {
            dir: resume.dir,
            record: resume.record,
            metrics: resume.metrics,
            checkpoint: existsSync(checkpoint) ? new Uint8Array(readFileSync(checkpoint)) : null,
            found: `${resume.status}${resume.statusNote ? `: ${resume.statusNote}` : ''}`,
            sink: RunWriter.open(resume.dir),
          },
        }
      : {}),
    file: ctx.file,
    runId: ctx.runId,
    sources: nodeModelSources(ctx.alias ?? {}),
    svgToPng,
    replicas: nodeReplicas({
      workers: ctx.workers ?? 'auto',
      backend: ctx.selection.name,
      worker: ctx.replicaWorker,
      alias: ctx.alias ?? {},
    }),
    print: ctx.print,
    callbacks: ctx.callbacks,
    signal: ctx.signal,
  });
  const dir = resume ? resume.dir : created!.dir;
  const { run: _run, ...rest } = result;
  return {
    ...rest,
    runDir: resolve(dir),
    runId: result.run.record.id,
    backend: ctx.selection.name,
  };
}
