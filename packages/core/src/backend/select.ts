import * as tf from '@tensorflow/tfjs-core';
import { keepErrorHandlers } from './error-handlers.js';

/** Why a candidate backend was not used. */
export type SkipReason = 'not-installed' | 'failed' | 'no-gpu' | 'not-requested';

/** One backend tunelab may run on, loaded only when selection reaches it. */
export interface BackendCandidate {
  /** The name users type (`--backend wasm`, `TUNELAB_BACKEND=tfjs-node`). */
  readonly name: string;
  /** The npm package that provides it, named in messages. */
  readonly packageName: string;
  /** The name tfjs registers the backend under (tfjs-node registers 'tensorflow'). */
  readonly tfBackend: string;
  /**
   * Imports the package (which registers the backend with tfjs) and prepares it. Throws a
   * {@link BackendUnavailableError} to say why the backend cannot be used; any other error
   * counts as 'failed'.
   */
  load(): Promise<void>;
  /** Runs after tfjs has initialised the backend; resolves to a skip message if unsuitable. */
  check?(): Promise<string | undefined>;
}

/** What happened to one candidate during selection. */
export interface BackendAttempt {
  /** The candidate's user-facing name ('wasm'). */
  readonly name: string;
  /** The npm package it needs. */
  readonly packageName: string;
  /** 'chosen', or why it was skipped ({@link SkipReason}). */
  readonly outcome: 'chosen' | SkipReason;
  /** One line a person can act on, e.g. "not installed (npm i @tensorflow/tfjs-node)". */
  readonly detail: string;
}

/** The result of {@link selectBackend}. */
export interface BackendSelection {
  /** The user-facing name of the chosen backend. */
  readonly name: string;
  /** The tfjs backend name now active (`tf.getBackend()`). */
  readonly tfBackend: string;
  /** Every candidate considered, in preference order, ending with the chosen one. */
  readonly attempts: readonly BackendAttempt[];
  /** True when the user asked for this backend explicitly. */
  readonly explicit: boolean;
}

/**
 * Raised by a candidate's load/check to classify why it cannot be used.
 * `throw new BackendUnavailableError('no-gpu', 'no CUDA device')` in a candidate's check skips it.
 */
export class BackendUnavailableError extends Error {
  constructor(
    /** Why the backend cannot be used. */
    readonly reason: SkipReason,
    message: string,
  ) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

/**
 * Raised when an explicitly requested backend cannot be used, or none of the candidates can.
 * e.g. `--backend tfjs-node` without the package: 'Backend "tfjs-node" was requested but cannot
 * be used: not installed (add @tensorflow/tfjs-node)', with every attempt in `attempts`.
 */
export class BackendSelectionError extends Error {
  constructor(
    message: string,
    /** Every candidate tried and what happened to it. */
    readonly attempts: readonly BackendAttempt[],
  ) {
    super(message);
    this.name = 'BackendSelectionError';
  }
}

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /** Candidates in order of preference. */
  candidates: readonly BackendCandidate[];
  /**
   * A backend the user asked for by name ('auto', empty or undefined means "pick the first
   * that works"). An explicit choice that cannot load is an error, never a silent fallback.
   */
  requested?: string | undefined;
}

/**
 * Walks the candidates in order, loading each lazily, and activates the first that works.
 * Reports why each earlier one was skipped.
 * ```ts
 * const selection = await selectBackend({
 *   candidates: nodeBackendCandidates((specifier) => import(specifier)),
 *   requested: process.env.TUNELAB_BACKEND, // undefined: the first that works
 * });
 * selection.name; // 'wasm' when tfjs-node is not installed
 * ```
 */
export async function selectBackend(options: SelectBackendOptions): Promise<BackendSelection> {
  const { candidates } = options;
  const requested = options.requested?.trim();
  const explicit = requested !== undefined && requested !== '' && requested !== 'auto';
  const attempts: BackendAttempt[] = [];

  if (explicit) {
    const candidate = candidates.find((c) => c.name === requested);
    if (!candidate) {
      throw new BackendSelectionError(
        `Unknown backend "${requested}": expected one of ${candidates.map((c) => c.name).join(', ')} (or auto)`,
        attempts,
      );
    }
    for (const other of candidates) {
      if (other === candidate) break;
      attempts.push({
        name: other.name,
        packageName: other.packageName,
        outcome: 'not-requested',
        detail: `not requested (backend "${requested}" was asked for)`,
      });
    }
    const attempt = await tryCandidate(candidate);
    attempts.push(attempt);
    if (attempt.outcome !== 'chosen') {
      throw new BackendSelectionError(
        `Backend "${requested}" was requested but cannot be used: ${attempt.detail}`,
        attempts,
      );
    }
    return { name: candidate.name, tfBackend: candidate.tfBackend, attempts, explicit };
  }

  for (const candidate of candidates) {
    const attempt = await tryCandidate(candidate);
    attempts.push(attempt);
    if (attempt.outcome === 'chosen') {
      return { name: candidate.name, tfBackend: candidate.tfBackend, attempts, explicit };
    }
  }
  throw new BackendSelectionError(
    `No backend could be loaded:\n${attempts.map((a) => `  ${a.name}: ${a.detail}`).join('\n')}`,
    attempts,
  );
}

async function tryCandidate(candidate: BackendCandidate): Promise<BackendAttempt> {
  const base = { name: candidate.name, packageName: candidate.packageName };
  // Loading a backend must not take over the process's error handling (see error-handlers.ts).
  const restoreErrorHandlers = keepErrorHandlers();
  try {
    await candidate.load();
    if (!(await tf.setBackend(candidate.tfBackend))) {
      return {
        ...base,
        outcome: 'failed',
        detail: `failed to initialise (tf.setBackend('${candidate.tfBackend}') returned false)`,
      };
    }
    await tf.ready();
    const unsuitable = await candidate.check?.();
    if (unsuitable) return { ...base, outcome: 'no-gpu', detail: unsuitable };
    return { ...base, outcome: 'chosen', detail: 'loaded' };
  } catch (error) {
    if (error instanceof BackendUnavailableError) {
      return { ...base, outcome: error.reason, detail: error.message };
    }
    if (isMissingPackage(error, candidate.packageName)) {
      return {
        ...base,
        outcome: 'not-installed',
        detail: `not installed (add ${candidate.packageName})`,
      };
    }
    return { ...base, outcome: 'failed', detail: `failed to load: ${firstLine(error)}` };
  } finally {
    restoreErrorHandlers();
  }
}

/**
 * True when `error` says the package itself (not something it needs) cannot be found.
 * An ERR_MODULE_NOT_FOUND for "@tensorflow/tfjs-node" itself is true; one for a package it
 * imports is false (installed, but broken).
 */
export function isMissingPackage(error: unknown, packageName: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const missing =
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    /Cannot find (package|module)|Failed to resolve module specifier/.test(message);
  if (!missing) return false;
  return (
    message.includes(`'${packageName}'`) ||
    message.includes(`"${packageName}"`) ||
    message.includes(`package '${packageName}`) ||
    message.includes(`${packageName}' imported from`)
  );
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
