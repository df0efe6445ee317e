import type * as tf from '@tensorflow/tfjs-core';
import { type DenseChainLink, Module } from '@tunelab/core';
import type { Composite, SummaryVisitor, Trace } from '../summary/describe.js';
import { ReLU } from './activations.js';
import { BatchNorm } from './batch-norm.js';

/**
 * Applies its layers in order. Layers are named '0', '1', ... unless given names.
 * ```ts
 * const model = new Sequential([
 *   new Flatten(),
 *   new Linear({ inputs: 784, outputs: 10, rng: Rng.fromSeed(0) }),
 * ]);
 * model.forward(tf.zeros([2, 28, 28, 1])).shape; // [2, 10]
 * ```
 */
export class Sequential extends Module implements Composite {
  readonly type = 'Sequential';
  /** The layers, in the order they are applied. */
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
    for (let i = 0; i < this.layers.length; i++) {
      const layer = this.layers[i]!;
      // BatchNorm then ReLU: one fused kernel each way where the backend has it.
      if (layer instanceof BatchNorm && this.layers[i + 1] instanceof ReLU) {
        out = layer.forwardRelu(out);
        i++;
      } else out = layer.forward(out);
    }
    return out;
  }

  /** The layers' chains end to end, when every layer is a dense chain (Linear, Flatten...). */
  override denseChain(): readonly DenseChainLink[] | null {
    const links: DenseChainLink[] = [];
    for (const layer of this.layers) {
      const chain = layer.denseChain();
      if (chain === null) return null;
      links.push(...chain);
    }
    return links;
  }

  traceChildren(input: Trace, visit: SummaryVisitor): Trace {
    let trace = input;
    for (const [name, layer] of this.namedChildren()) trace = visit.child(name, layer, trace);
    return trace;
  }
}
