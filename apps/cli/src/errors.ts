/** Exit codes of the tunelab command. */
export const EXIT = {
  ok: 0,
  /** Training or I/O failed; the message says why. */
  failure: 1,
  /** Bad command line or experiment file. */
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
