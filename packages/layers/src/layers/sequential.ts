import type * as tf from '@tensorflow/tfjs-core';
import { Module } from '@tunelab/core';

/** Applies its layers in order. Layers are named '0', '1', ... unless given names. */
export class Sequential extends Module {
  readonly type = 'Sequential';
  readonly layers: readonly Module[];

  constructor(layers: readonly Module[] | Readonly<Record<string, Module>>) {
    super();
    const entries = Array.isArray(layers)
      ? layers.map((m, i) => [String(i), m] as const)
      : Object.entries(layers);
    this.layers = entries.map(([name, m]) => this.addModule(name, m));
  }

  forward(x: tf.Tensor): tf.Tensor {
    let out = x;
    for (const layer of this.layers) out = layer.forward(out);
    return out;
  }
}
