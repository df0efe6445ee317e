import type { Module } from '@tunelab/core';

/**
 * The layers that own parameters, depth-first in registration (= forward) order, with their
 * dotted names: for VGG-16 block1_conv1 ... block5_conv3, fc1, fc2, predictions; for
 * ResNet-18 conv1, bn1, layer1.0.conv1, layer1.0.bn1, ...
 */
export function parameterLayers(model: Module): Array<[string, Module]> {
  const out: Array<[string, Module]> = [];
  const visit = (module: Module, prefix: string) => {
    for (const [name, child] of module.namedChildren()) {
      if (child.ownParameters().length > 0) out.push([prefix + name, child]);
      visit(child, `${prefix}${name}.`);
    }
  };
  if (model.ownParameters().length > 0) out.push([model.type, model]);
  visit(model, '');
  return out;
}

/**
 * Freezes the first `count` layers that own parameters (see {@link parameterLayers}), the
 * usual transfer-learning move "freeze the first 10 layers of a VGG": optimizers then skip
 * them. Returns the names frozen. Parameter-free layers (activations, pools) are not counted.
 * `freezeFirst(vgg16(), 10)` freezes block1_conv1 ... block4_conv3 and returns their names.
 */
export function freezeFirst(model: Module, count: number): string[] {
  const layers = parameterLayers(model);
  if (!Number.isInteger(count) || count < 0 || count > layers.length) {
    throw new Error(
      `freezeFirst: count must be an integer from 0 to ${layers.length} (the ${model.type}'s layers with parameters), got ${count}`,
    );
  }
  const chosen = layers.slice(0, count);
  for (const [, layer] of chosen) layer.freeze();
  return chosen.map(([name]) => name);
}
