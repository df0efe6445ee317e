import type * as tf from '@tensorflow/tfjs-core';
import type { DenseChainLink } from './dense-chain.js';
import { Parameter } from './parameter.js';

/**
 * The building block of every model: owns named parameters (trainable or frozen), named
 * buffers (non-trainable state such as batch-norm running statistics) and named child
 * modules, and maps an input tensor to an output tensor.
 *
 * Subclasses declare their parts as fields, registering each in the constructor:
 *
 * ```ts
 * class Affine extends Module {
 *   readonly type = 'Affine';
 *   readonly weight: Parameter;
 *   constructor(rng: Rng, inputs: number, outputs: number) {
 *     super();
 *     this.weight = this.addParameter('weight', tf.tensor2d(rng.normalArray(inputs * outputs), [inputs, outputs]));
 *   }
 *   forward(x: tf.Tensor): tf.Tensor { return tf.matMul(x as tf.Tensor2D, this.weight.variable); }
 * }
 * ```
 */
export abstract class Module {
  /** Layer kind shown in summaries ('Linear', 'Conv2D', ...). */
  abstract readonly type: string;

  readonly #parameters = new Map<string, Parameter>();
  readonly #buffers = new Map<string, tf.Variable>();
  readonly #children = new Map<string, Module>();
  #training = true;

  /** Maps a batch of inputs to outputs. Call inside tf.tidy (the training loop does). */
  abstract forward(x: tf.Tensor): tf.Tensor;

  /**
   * This module as a chain of dense layers and flattens, in the order applied, or null when
   * it computes anything else (the default). Every parameter of the module must appear in
   * the chain. fit then runs a whole training step of the model (forward, softmax
   * cross-entropy, backward) as one kernel where the backend registers one (wasm), instead
   * of a dozen kernels per layer. Linear, Flatten and Sequential implement it.
   */
  denseChain(): readonly DenseChainLink[] | null {
    return null;
  }

  /** Alias of {@link forward}. */
  apply(x: tf.Tensor): tf.Tensor {
    return this.forward(x);
  }

  /** True in training mode (dropout active, batch statistics used). */
  get training(): boolean {
    return this.#training;
  }

  /** Sets training mode on this module and every descendant. */
  train(on = true): this {
    this.#training = on;
    for (const child of this.#children.values()) child.train(on);
    return this;
  }

  /** Sets evaluation mode on this module and every descendant. */
  eval(): this {
    return this.train(false);
  }

  /** Marks every parameter of this module and its descendants as frozen (skipped by optimizers). */
  freeze(): this {
    for (const p of this.parameters()) p.trainable = false;
    return this;
  }

  /** Marks every parameter of this module and its descendants as trainable. */
  unfreeze(): this {
    for (const p of this.parameters()) p.trainable = true;
    return this;
  }

  /** Registers a parameter. Names are local ('weight'); full names join ancestors with dots. */
  protected addParameter(
    name: string,
    initial: tf.Tensor,
    options: { trainable?: boolean } = {},
  ): Parameter {
    this.#claim(name);
    const parameter = new Parameter(initial, options.trainable ?? true);
    this.#parameters.set(name, parameter);
    return parameter;
  }

  /** Registers non-trainable state that is saved with the weights (e.g. running mean). */
  protected addBuffer(name: string, initial: tf.Tensor): tf.Variable {
    this.#claim(name);
    const variable = new Parameter(initial, false).variable;
    this.#buffers.set(name, variable);
    return variable;
  }

  /** Registers a child module under `name`. */
  protected addModule<M extends Module>(name: string, module: M): M {
    this.#claim(name);
    this.#children.set(name, module);
    module.train(this.#training);
    return module;
  }

  #claim(name: string): void {
    if (!/^[A-Za-z0-9_]+$/.test(name)) {
      throw new Error(`${this.type}: part name "${name}" must be letters, digits or underscores`);
    }
    if (this.#parameters.has(name) || this.#buffers.has(name) || this.#children.has(name)) {
      throw new Error(`${this.type}: a part named "${name}" is already registered`);
    }
  }

  /** Direct children in registration order. */
  namedChildren(): Array<[string, Module]> {
    return [...this.#children.entries()];
  }

  /** Every parameter with its full dotted name ('0.weight', 'block1.conv.bias'), depth-first. */
  namedParameters(prefix = ''): Array<[string, Parameter]> {
    const out: Array<[string, Parameter]> = [];
    for (const [name, p] of this.#parameters) out.push([prefix + name, p]);
    for (const [name, child] of this.#children)
      out.push(...child.namedParameters(`${prefix}${name}.`));
    return out;
  }

  /** Every buffer with its full dotted name. */
  namedBuffers(prefix = ''): Array<[string, tf.Variable]> {
    const out: Array<[string, tf.Variable]> = [];
    for (const [name, b] of this.#buffers) out.push([prefix + name, b]);
    for (const [name, child] of this.#children)
      out.push(...child.namedBuffers(`${prefix}${name}.`));
    return out;
  }

  /** Parameters of this module only (not descendants). */
  ownParameters(): Array<[string, Parameter]> {
    return [...this.#parameters.entries()];
  }

  /**
   * Every parameter of this module and its descendants, frozen ones included, in registration
   * order.
   */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** The parameters an optimizer updates (trainable === true). */
  trainableParameters(): Parameter[] {
    return this.parameters().filter((p) => p.trainable);
  }

  /** Count of scalar parameters, optionally only trainable or only frozen ones. */
  parameterCount(which: 'all' | 'trainable' | 'frozen' = 'all'): number {
    let n = 0;
    for (const p of this.parameters()) {
      if (which === 'all' || (which === 'trainable') === p.trainable) n += p.size;
    }
    return n;
  }

  /** Parameters and buffers by full name (references, not copies). */
  stateDict(): Map<string, tf.Tensor> {
    const state = new Map<string, tf.Tensor>();
    for (const [name, p] of this.namedParameters()) state.set(name, p.variable);
    for (const [name, b] of this.namedBuffers()) state.set(name, b);
    return state;
  }

  /**
   * Assigns values by full name. Every entry must match a parameter or buffer in name and
   * shape, and every parameter and buffer must be given.
   */
  loadStateDict(state: ReadonlyMap<string, tf.Tensor>): void {
    const own = this.stateDict();
    const missing = [...own.keys()].filter((k) => !state.has(k));
    const unexpected = [...state.keys()].filter((k) => !own.has(k));
    if (missing.length || unexpected.length) {
      throw new Error(
        `loadStateDict: names do not match the model` +
          (missing.length ? `; missing: ${missing.join(', ')}` : '') +
          (unexpected.length ? `; unexpected: ${unexpected.join(', ')}` : ''),
      );
    }
    for (const [name, target] of own) {
      const value = state.get(name)!;
      if (value.shape.join(',') !== target.shape.join(',') || value.dtype !== target.dtype) {
        throw new Error(
          `loadStateDict: "${name}" expected ${target.dtype}[${target.shape}], got ${value.dtype}[${value.shape}]`,
        );
      }
    }
    for (const [name, target] of own) (target as tf.Variable).assign(state.get(name)!);
  }

  /** Frees every parameter and buffer of this module and its descendants. */
  dispose(): void {
    for (const p of this.#parameters.values()) p.dispose();
    for (const b of this.#buffers.values()) b.dispose();
    for (const child of this.#children.values()) child.dispose();
  }
}
