import * as tf from '@tensorflow/tfjs-core';
import type { ModuleImporter } from './candidates.js';
import { type BackendCandidate, BackendUnavailableError } from './select.js';

interface Adapter {
  readonly features: ReadonlySet<string>;
  readonly limits: Record<string, number>;
  readonly info?: {
    isFallbackAdapter?: boolean;
    vendor?: string;
    architecture?: string;
    device?: string;
    description?: string;
  };
  requestDevice(descriptor: {
    requiredFeatures: string[];
    requiredLimits: Record<string, number>;
  }): Promise<unknown>;
}
interface Gpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<Adapter | null>;
}

/** Every numeric limit of the adapter (GPUSupportedLimits' properties live on its prototype). */
export function adapterLimits(adapter: Adapter): Record<string, number> {
  const limits: Record<string, number> = {};
  for (
    let o: object | null = adapter.limits;
    o && o !== Object.prototype;
    o = Object.getPrototypeOf(o)
  ) {
    for (const key of Object.getOwnPropertyNames(o)) {
      const value = (adapter.limits as Record<string, unknown>)[key];
      if (typeof value === 'number' && !(key in limits)) limits[key] = value;
    }
  }
  return limits;
}

/**
 * WebGPU in Node through the `webgpu` package (Dawn): used when a real GPU adapter exists.
 * tfjs-backend-webgpu asks the device for six limits only, leaving e.g.
 * maxStorageBuffersPerShaderStage at WebGPU's default of 8, which makes tf.addN of more than
 * 7 tensors silently wrong. This candidate registers the backend with a device that requests
 * every limit the adapter supports.
 */
export function webgpuNodeCandidate(importModule: ModuleImporter): BackendCandidate {
  return {
    name: 'webgpu',
    packageName: 'webgpu',
    tfBackend: 'webgpu',
    async load() {
      const dawn = (await importModule('webgpu')) as {
        create(flags: string[]): Gpu;
        globals: object;
      };
      Object.assign(globalThis, dawn.globals);
      const gpu = dawn.create([]);
      const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (!adapter)
        throw new BackendUnavailableError('no-gpu', 'no GPU (Dawn found no WebGPU adapter)');
      if (adapter.info?.isFallbackAdapter)
        throw new BackendUnavailableError('no-gpu', 'no GPU (only a software WebGPU adapter)');
      const nav = ((globalThis as { navigator?: object }).navigator ?? {}) as { gpu?: Gpu };
      Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
      if (!(globalThis as { navigator?: object }).navigator)
        Object.defineProperty(globalThis, 'navigator', { value: nav, configurable: true });
      const backend = (await importModule('@tensorflow/tfjs-backend-webgpu')) as {
        WebGPUBackend: new (device: unknown, info?: unknown) => tf.KernelBackend;
      };
      if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
      tf.registerBackend(
        'webgpu',
        async () => {
          const requiredFeatures = ['timestamp-query'].filter((f) => adapter.features.has(f));
          const device = await adapter.requestDevice({
            requiredFeatures,
            requiredLimits: adapterLimits(adapter),
          });
          return new backend.WebGPUBackend(device, adapter.info);
        },
        3,
      );
    },
  };
}
