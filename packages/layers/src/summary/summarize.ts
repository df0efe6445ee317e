import type { LayerSummary, ModelSummary, Module } from '@tunelab/core';
import {
  advance,
  inputTrace,
  isComposite,
  isDescribable,
  type Shape,
  sizeOf,
  type Trace,
} from './describe.js';

// The summary is the record format of model-summary.json, declared once in @tunelab/core.
export type { LayerSummary, ModelSummary };

/**
 * Summarises `model` for inputs of `inputShape` (per example, e.g. [224, 224, 3]) without
 * running tfjs: each layer's {@link Describable.describe} gives its output shape and costs, each
 * container's {@link Composite.traceChildren} says how the layers are wired. Instant even for
 * VGG-16 at 224x224. Throws naming the layer when one cannot describe itself or rejects the
 * shape it receives.
 * ```ts
 * const model = mlp({ inputShape: [28, 28, 1], hidden: [128], classes: 10, seed: 1 });
 * summarize(model, [28, 28, 1]).totals.params;
 * // 101,770 = (784 + 1) * 128 + (128 + 1) * 10
 * ```
 */
export function summarize(model: Module, inputShape: Shape): ModelSummary {
  checkShape(inputShape);
  const layers: LayerSummary[] = [];
  const output = walk(model, '', inputTrace([...inputShape]), layers);
  const sum = (
    key: 'params' | 'trainableParams' | 'frozenParams' | 'macs' | 'connections' | 'activations',
  ) => layers.reduce((n, row) => n + row[key], 0);
  const totals = {
    params: sum('params'),
    trainableParams: sum('trainableParams'),
    frozenParams: sum('frozenParams'),
    macs: sum('macs'),
    connections: sum('connections'),
    activations: sum('activations'),
  };
  if (totals.params !== model.parameterCount()) {
    throw new Error(
      `summarize: the layers hold ${totals.params} parameters but the model has ${model.parameterCount()}; a container owns parameters it does not describe`,
    );
  }
  return {
    model: model.type,
    inputShape: [...inputShape],
    outputShape: [...output.shape],
    layers,
    totals,
  };
}

/**
 * Output shape per example of `model` for `inputShape`, computed analytically.
 * `outputShapeOf(lenet5(), [32, 32, 1])` is [10].
 */
export function outputShapeOf(model: Module, inputShape: Shape): number[] {
  checkShape(inputShape);
  return [...walk(model, '', inputTrace([...inputShape]), []).shape];
}

function walk(module: Module, name: string, input: Trace, rows: LayerSummary[]): Trace {
  const where = name === '' ? module.type : `"${name}" (${module.type})`;
  if (isComposite(module)) {
    const path = (child: string) => (name === '' ? child : `${name}.${child}`);
    return module.traceChildren(input, {
      child: (childName, child, childInput) => walk(child, path(childName), childInput, rows),
      op: (opName, type, output, cost) => {
        rows.push(row(path(opName), type, output, cost, 0, 0));
      },
    });
  }
  if (!isDescribable(module)) {
    throw new Error(
      `summarize: layer ${where} has no describe(inputShape); implement Describable (or Composite for a container)`,
    );
  }
  let description: ReturnType<typeof module.describe>;
  try {
    description = module.describe(input.shape);
  } catch (error) {
    throw new Error(`summarize: layer ${where}: ${(error as Error).message}`);
  }
  const output = advance(input, description);
  let trainable = 0;
  let frozen = 0;
  for (const [, p] of module.ownParameters()) {
    if (p.trainable) trainable += p.size;
    else frozen += p.size;
  }
  rows.push(row(name || module.type, module.type, output, description, trainable, frozen));
  return output;
}

function row(
  name: string,
  type: string,
  output: Trace,
  cost: { macs: number; connections: number },
  trainable: number,
  frozen: number,
): LayerSummary {
  return {
    name,
    type,
    outputShape: [...output.shape],
    activations: sizeOf(output.shape),
    params: trainable + frozen,
    trainableParams: trainable,
    frozenParams: frozen,
    macs: cost.macs,
    connections: cost.connections,
    receptiveField: output.receptiveField ? [...output.receptiveField] : null,
  };
}

function checkShape(shape: Shape): void {
  if (shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(
      `summarize: input shape must be positive integers per example, e.g. [28, 28, 1], got [${shape}]`,
    );
  }
}
