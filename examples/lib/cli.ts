// How every example runs from the command line: reduced size unless --full, printing as it goes.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What every example's `run` takes. */
export interface RunOptions {
  /** A few batches and small subsets, for CI (seconds); false: the full-size workflow. */
  reduced: boolean;
  /** Where the example prints its narrative. Default console.log; tests pass a no-op. */
  log?: (line: string) => void;
}

/** True when the module with this `import.meta.url` is the script node was started with. */
export function isMain(url: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(fileURLToPath(url)) === realpathSync(script);
  } catch {
    return false;
  }
}

/**
 * Runs `run` when its file is the script node started (`node --import jiti/register
 * examples/x.ts [--full]`), in reduced size unless `--full` is given, and exits non-zero on
 * an error.
 */
export function runWhenMain(url: string, run: (options: RunOptions) => Promise<unknown>): void {
  if (!isMain(url)) return;
  const reduced = !process.argv.includes('--full');
  const started = performance.now();
  run({ reduced }).then(
    () =>
      console.log(
        `\n(${reduced ? 'reduced' : 'full'} size, ${((performance.now() - started) / 1000).toFixed(1)} s)`,
      ),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}

/** `log` of the options, or console.log. */
export function logger(options: RunOptions): (line: string) => void {
  return options.log ?? ((line) => console.log(line));
}
