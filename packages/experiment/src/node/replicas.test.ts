import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { autoReplicaCount } from './replicas.js';

describe('--workers auto', () => {
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
