import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { selectBackend } from './select.js';
import { adapterLimits, webgpuNodeCandidate } from './webgpu-node.js';

// Dawn needs a GPU, which this machine lacks: these tests stand in a module with the shape of
// the `webgpu` package to check what the candidate does with what it gets. On the GPU machine
// the real package is used (see ../../bench/kernels.mjs and the closing notes).
class Limits {
  readonly maxStorageBuffersPerShaderStage = 16;
  readonly maxBufferSize = 2 ** 31;
}

function fakeDawn(adapter: unknown, devices: unknown[]) {
  return async (specifier: string) => {
    if (specifier === 'webgpu')
      return { globals: {}, create: () => ({ requestAdapter: async () => adapter }) };
    if (specifier === '@tensorflow/tfjs-backend-webgpu') {
      return {
        WebGPUBackend: class {
          constructor(device: unknown) {
            devices.push(device);
          }
        },
      };
    }
    throw new Error(`unexpected import ${specifier}`);
  };
}

describe('WebGPU in Node', () => {
  it('reads every adapter limit, including those defined on the prototype', () => {
    expect(adapterLimits({ limits: new Limits() } as never)).toEqual({
      maxStorageBuffersPerShaderStage: 16,
      maxBufferSize: 2 ** 31,
    });
  });

  it('reports no GPU when Dawn finds no adapter or only a software one', async () => {
    const none = await selectBackend({
      candidates: [webgpuNodeCandidate(fakeDawn(null, []))],
    }).catch((e) => e);
    expect(none.attempts[0]).toMatchObject({
      outcome: 'no-gpu',
      detail: 'no GPU (Dawn found no WebGPU adapter)',
    });
    const soft = await selectBackend({
      candidates: [webgpuNodeCandidate(fakeDawn({ info: { isFallbackAdapter: true } }, []))],
    }).catch((e) => e);
    expect(soft.attempts[0]).toMatchObject({
      outcome: 'no-gpu',
      detail: 'no GPU (only a software WebGPU adapter)',
    });
  });

  it('is "not installed" without the webgpu package', async () => {
    const error = await selectBackend({
      candidates: [webgpuNodeCandidate((s) => import(s))],
    }).catch((e) => e);
    expect(error.attempts[0]).toMatchObject({
      outcome: 'not-installed',
      detail: 'not installed (add webgpu)',
    });
  });

  it("registers a backend whose device requests all of the adapter's limits (not WebGPU's defaults)", async () => {
    const descriptors: unknown[] = [];
    const devices: unknown[] = [];
    const adapter = {
      features: new Set(['timestamp-query', 'shader-f16']),
      limits: new Limits(),
      info: { vendor: 'nvidia' },
      requestDevice: async (d: unknown) => {
        descriptors.push(d);
        return { id: 'device' };
      },
    };
    await webgpuNodeCandidate(fakeDawn(adapter, devices)).load();
    await tf.findBackendFactory('webgpu')!();
    expect(descriptors).toEqual([
      {
        requiredFeatures: ['timestamp-query'],
        requiredLimits: { maxStorageBuffersPerShaderStage: 16, maxBufferSize: 2 ** 31 },
      },
    ]);
    expect(devices).toEqual([{ id: 'device' }]);
    tf.removeBackend('webgpu');
  });
});
