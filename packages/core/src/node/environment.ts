import { cpus, hostname } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendSelection } from '../backend/select.js';
import type { RunEnvironment } from '../record/format.js';

/**
 * The environment section of a run record: backend, why others were skipped, versions.
 * `describeEnvironment(selection).versions` is e.g. { node: 'v20.19.0', 'tfjs-core': '4.22.0' }.
 */
export function describeEnvironment(
  selection: BackendSelection,
  versions: Record<string, string> = {},
): RunEnvironment {
  return {
    backend: selection.name,
    backendAttempts: selection.attempts.map((a) => ({ ...a })),
    versions: { node: process.version, 'tfjs-core': tf.version_core, ...versions },
    platform: process.platform,
    arch: process.arch,
    cpus: cpus().length,
    hostname: hostname(),
  };
}
