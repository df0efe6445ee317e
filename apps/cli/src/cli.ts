import { BackendSelectionError } from '@tunelab/core';
import { DataError } from '@tunelab/datasets';
import { ExperimentError } from '@tunelab/experiment';
import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import { benchCommand } from './commands/bench.js';
import { dataCommand } from './commands/data.js';
import { evalCommand } from './commands/eval.js';
import { reportCommand } from './commands/report.js';
import { summaryCommand } from './commands/summary.js';
import { sweepCommand } from './commands/sweep.js';
import { trainCommand } from './commands/train.js';
import { uiCommand } from './commands/ui.js';
import { workerCommand } from './commands/worker.js';
import { EXIT, UsageError } from './errors.js';
import { tolerateClosedOutput } from './output.js';
import { VERSION } from './version.js';

/**
 * The tunelab program with every command.
 * `createProgram().commands.map((c) => c.name())` is ['train', 'sweep', 'eval', 'report',
 * 'summary', 'data', 'bench', 'ui', 'worker'].
 */
export function createProgram(): Command {
  return new Command('tunelab')
    .description(
      'Design, train, tune and report on neural networks in TypeScript, on TensorFlow.js.',
    )
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(trainCommand())
    .addCommand(sweepCommand())
    .addCommand(evalCommand())
    .addCommand(reportCommand())
    .addCommand(summaryCommand())
    .addCommand(dataCommand())
    .addCommand(benchCommand())
    .addCommand(uiCommand())
    .addCommand(workerCommand())
    .addHelpText(
      'after',
      `
Environment:
  TUNELAB_BACKEND    backend to use when --backend is not given (tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu)
  TUNELAB_DATA_DIR   dataset cache folder (default $XDG_CACHE_HOME/tunelab/datasets)
  TUNELAB_QUEUE      Redis URL for sweep --queue and worker (keeps the password off the command line)
  NO_COLOR           disable colours

Run "tunelab <command> --help" for a command's options.`,
    );
}

/**
 * Runs the CLI with `argv` (process.argv form); resolves to the exit code.
 * `process.exitCode = await main(process.argv)` is what bin.js does: {@link EXIT} (0 on
 * success, 1 when training or writing failed, 2 for a bad command line, experiment file, data
 * or --out folder, 130 when interrupted).
 */
export async function main(argv: readonly string[]): Promise<number> {
  if (process.stdout.listenerCount('error') === 0) {
    tolerateClosedOutput(process.stdout, process.stderr);
    tolerateClosedOutput(process.stderr, null);
  }
  const program = createProgram().exitOverride();
  // Subcommands added with addCommand do not inherit these settings: set them at every depth.
  const configure = (command: Command): void => {
    command.exitOverride().showHelpAfterError('(run with --help for usage)');
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit with code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${pc.red('error')}: ${message}\n`);
    if (
      error instanceof UsageError ||
      error instanceof ExperimentError ||
      error instanceof DataError
    )
      return EXIT.usage;
    if (!(error instanceof BackendSelectionError) && process.env.TUNELAB_DEBUG) {
      process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    }
    return EXIT.failure;
  }
}
