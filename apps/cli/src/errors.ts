/** Exit codes of the tunelab command. */
export const EXIT = {
  /** Done: trained (or stopped early by a criterion), evaluated, reported. */
  ok: 0,
  /**
   * Training or writing failed (loss became NaN, a file could not be written, a backend that
   * was asked for cannot load); the one-line message says why, and the run is marked failed.
   */
  failure: 1,
  /**
   * Bad input: command line, experiment file, data (missing or malformed files, unknown
   * dataset) or an --out folder that cannot be written. Nothing was trained.
   */
  usage: 2,
  /** Interrupted (Ctrl-C); the run directory is marked interrupted. */
  interrupted: 130,
} as const;

/** A problem with what the user asked for (arguments, experiment file): exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
