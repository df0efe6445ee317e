import '@tensorflow/tfjs-backend-cpu';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Module } from '../module/module.js';
import { Rng } from '../random/rng.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import { loadWeights, saveWeights } from './weights.js';

class Dense extends Module {
  readonly type = 'Dense';
  constructor(inputs: number, outputs: number, rng: Rng) {
    super();
    this.addParameter('weight', tf.tensor2d(rng.normalArray(inputs * outputs), [inputs, outputs]));
    this.addParameter('bias', tf.tensor1d(rng.normalArray(outputs)));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return x;
  }
}

/** Dense layers named '1', '3', '5', ... like mlp's Sequential (odd slots, activations between). */
class Net extends Module {
  readonly type = 'Net';
  constructor(widths: number[], seed: number) {
    super();
    const rng = Rng.fromSeed(seed);
    for (let i = 0; i + 1 < widths.length; i++)
      this.addModule(String(2 * i + 1), new Dense(widths[i]!, widths[i + 1]!, rng));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return x;
  }
}

function mlp(args: { inputShape: number[]; hidden: number[]; classes: number; seed: number }): Net {
  return new Net([...args.inputShape, ...args.hidden, args.classes], args.seed);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('safetensors', () => {
  it('writes the documented layout: u64 LE header length, JSON header, raw LE data', () => {
    const bytes = encodeSafetensors(
      new Map([['w', { dtype: 'float32' as const, shape: [2], data: Float32Array.from([1, -2]) }]]),
    );
    const header = '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    const padded = header + ' '.repeat((8 - (header.length % 8)) % 8);
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true))).toBe(padded.length);
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + padded.length))).toBe(padded);
    // 1.0f = 00 00 80 3f, -2.0f = 00 00 00 c0 (little-endian IEEE 754)
    expect(Array.from(bytes.subarray(8 + padded.length))).toEqual([
      0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0,
    ]);
  });

  it('round-trips a model bit-exactly into a differently initialised one', async () => {
    const a = mlp({ inputShape: [6], hidden: [5], classes: 3, seed: 1 });
    const b = mlp({ inputShape: [6], hidden: [5], classes: 3, seed: 2 });
    const bytes = await saveWeights(a, { epoch: '3' });
    expect(loadWeights(b, bytes, 'a.safetensors')).toEqual({ format: 'tunelab', epoch: '3' });
    for (const [name, t] of a.stateDict()) {
      expect(Array.from(b.stateDict().get(name)!.dataSync())).toEqual(Array.from(t.dataSync()));
    }
    expect(await saveWeights(b, { epoch: '3' })).toEqual(bytes);
    a.dispose();
    b.dispose();
  });

  it('reads files from disk (Node Buffers from a shared pool) correctly', async () => {
    const a = mlp({ inputShape: [6], hidden: [5], classes: 3, seed: 1 });
    const b = mlp({ inputShape: [6], hidden: [5], classes: 3, seed: 2 });
    const file = join(mkdtempSync(join(tmpdir(), 'tunelab-w-')), 'w.safetensors');
    writeFileSync(file, await saveWeights(a));
    // A small file read with readFileSync lands in Node's shared buffer pool at an offset.
    loadWeights(b, readFileSync(file), file);
    for (const [name, t] of a.stateDict()) {
      expect(Array.from(b.stateDict().get(name)!.dataSync())).toEqual(Array.from(t.dataSync()));
    }
    a.dispose();
    b.dispose();
  });

  it('explains mismatched names, shapes and corrupt files, naming the file', async () => {
    const small = mlp({ inputShape: [6], hidden: [5], classes: 3, seed: 1 });
    const wide = mlp({ inputShape: [6], hidden: [7], classes: 3, seed: 1 });
    const bytes = await saveWeights(small);
    expect(() => loadWeights(wide, bytes, 'small.safetensors')).toThrow(
      /^small\.safetensors: loadStateDict: "1\.weight" expected float32\[6,7\], got float32\[6,5\]/,
    );
    const deeper = mlp({ inputShape: [6], hidden: [5, 5], classes: 3, seed: 1 });
    expect(() => loadWeights(deeper, bytes, 'small.safetensors')).toThrow(
      /names do not match the model; missing: 5\.weight, 5\.bias$/,
    );
    expect(() => decodeSafetensors(bytes.subarray(0, 20), 'cut.safetensors')).toThrow(
      /^cut\.safetensors: header length \d+ runs past the end of the file \(20 bytes\)/,
    );
    expect(() =>
      decodeSafetensors(bytes.subarray(0, bytes.length - 4), 'short.safetensors'),
    ).toThrow(/^short\.safetensors: tensor "3\.bias": data_offsets/);
    for (const m of [small, wide, deeper]) m.dispose();
  });
});
