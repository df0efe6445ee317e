import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { autoReplicaCount, parseWorkers, WORKERS_ENV_VAR } from './replicas.js';

afterEach(() => {
  delete process.env[WORKERS_ENV_VAR];
});

describe('--workers', () => {
  it('parses auto, counts and the environment variable', () => {
    expect(parseWorkers(undefined)).toBe('auto');
    expect(parseWorkers('auto')).toBe('auto');
    expect(parseWorkers('0')).toBe(0);
    expect(parseWorkers('3')).toBe(3);
    process.env[WORKERS_ENV_VAR] = '2';
    expect(parseWorkers(undefined)).toBe(2);
    // The flag wins over the environment.
    expect(parseWorkers('1')).toBe(1);
  });

  it('rejects anything else as a usage error naming the flag', () => {
    for (const bad of ['-1', '1.5', 'two', '65']) {
      expect(() => parseWorkers(bad)).toThrow(UsageError);
      expect(() => parseWorkers(bad)).toThrow(/--workers .* got "/);
    }
  });

  it('uses replicas only on single-threaded backends and for models that gain', () => {
    const extra = Math.min(availableParallelism(), 8) - 1;
    const m2cnn = { macsPerExample: 1_919_872, parameters: 23_946 };
    expect(autoReplicaCount('wasm', m2cnn)).toBe(extra);
    expect(autoReplicaCount('cpu', { macsPerExample: 120_272, parameters: 25_583 })).toBe(extra); // sepcnn5
    // The 784-128-10 mlp: enough MACs, but one per weight.
    expect(autoReplicaCount('wasm', { macsPerExample: 101_632, parameters: 101_770 })).toBe(0);
    expect(autoReplicaCount('wasm', { macsPerExample: 7_840, parameters: 7_850 })).toBe(0); // linear
    expect(autoReplicaCount('webgpu', m2cnn)).toBe(0);
    expect(autoReplicaCount('tfjs-node', m2cnn)).toBe(0);
  });
});
