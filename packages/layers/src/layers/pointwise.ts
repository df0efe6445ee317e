import { Module } from '@tunelab/core';
import type { Describable, LayerDescription, Shape } from '../summary/describe.js';

/**
 * Base of layers that map each element on its own (activations, dropout): the output has the
 * input's shape, no multiply-accumulates, and no connections of its own (the activation is
 * part of the unit before it, as LeNet counts).
 * y_i = f(x_i).
 */
export abstract class Pointwise extends Module implements Describable {
  describe(inputShape: Shape): LayerDescription {
    return { outputShape: [...inputShape], macs: 0, connections: 0, window: 'pointwise' };
  }
}
