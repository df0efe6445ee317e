import type { TensorInfo } from '@tensorflow/tfjs-core';
import { type SimdKernels, simdKernels } from './simd-kernels.js';
import {
  asWasmBackend,
  dispose,
  heapOffset,
  type KernelArgs,
  type WasmBackend,
  wasmKernel,
} from './wasm-backend.js';

/** Kernel name of the whole training step of a dense chain (wasm, registered with the training kernels). */
export const DenseStepKernel = 'TunelabDenseStep';

/** Attributes of {@link DenseStepKernel}: which layers apply relu (1) or nothing (0), in order. */
export interface DenseStepAttrs {
  relu: number[];
}

/**
 * The input names of layer i: its weight [in, out] and bias [out]. The kernel's inputs are
 * `x` (float32 [n, ...], read as [n, features]), `labels` (int32 class ids [n]) and these.
 */
export const denseInputNames = (i: number) => [`w${i}`, `b${i}`] as const;

/**
 * Forward, mean softmax cross-entropy and backward of a chain of dense layers
 * h_i = act_i(h_{i-1} W_i + b_i) (act relu or none, h_{-1} = x flattened) in one kernel, with
 * simd/gemm.as's products (4 x 8 register blocks; about twice XNNPACK's rate at these shapes)
 * and simd/softmax-cross-entropy.as. Outputs: the mean loss [], the logits [n, classes], then
 * dW_i and db_i for every layer in order. The first layer's input gradient is not computed
 * (the input is data). A label outside the classes gives NaN, as the one-kernel loss does.
 */
function denseStepWasm({ inputs, backend: b, attrs }: KernelArgs): TensorInfo[] {
  const backend = asWasmBackend(b, DenseStepKernel);
  const simd = simdKernels(backend.wasm);
  if (simd === undefined) throw new Error(`${DenseStepKernel}: no SIMD kernels`);
  const { relu } = attrs as unknown as DenseStepAttrs;
  const { x, labels } = inputs as { x: TensorInfo; labels: TensorInfo };
  const layers = relu.map((r, i) => {
    const [w, bias] = denseInputNames(i).map((name) => inputs[name]) as [TensorInfo, TensorInfo];
    return { w, bias, inputs: w.shape[0]!, outputs: w.shape[1]!, relu: r !== 0 };
  });
  const n = x.shape[0]!;
  const classes = layers.at(-1)!.outputs;
  const offset = (t: TensorInfo) => heapOffset(backend, t);
  const scratch: TensorInfo[] = [];
  const temporary = (shape: number[]) => {
    const t = backend.makeOutput(shape, 'float32');
    scratch.push(t);
    return t;
  };

  // Forward: every layer's output stays for the backward pass (the last one is the logits).
  const outs: TensorInfo[] = [];
  layers.forEach((layer, i) => {
    const last = i === layers.length - 1;
    const out = last ? backend.makeOutput([n, classes], 'float32') : temporary([n, layer.outputs]);
    const input = i === 0 ? x : outs[i - 1]!;
    const [k, o] = [layer.inputs, layer.outputs];
    const relu = layer.relu ? 1 : 0;
    simd.gemmNN(
      offset(input),
      k,
      offset(layer.w),
      o,
      offset(out),
      o,
      n,
      k,
      o,
      offset(layer.bias),
      0,
      relu,
      0,
    );
    outs.push(out);
  });
  const logits = outs.at(-1)!;
  const loss = backend.makeOutput([], 'float32');
  let dz = temporary([n, classes]);
  simd.softmaxCrossEntropy(offset(logits), offset(labels), offset(loss), offset(dz), n, classes);
  if (layers.at(-1)!.relu) simd.reluGrad(offset(dz), offset(logits), offset(dz), n * classes);

  // Backward, last layer first.
  const grads: TensorInfo[] = [];
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    const input = i === 0 ? x : outs[i - 1]!;
    const dW = backend.makeOutput([layer.inputs, layer.outputs], 'float32');
    const dB = backend.makeOutput([layer.outputs], 'float32');
    const [k, o] = [layer.inputs, layer.outputs];
    simd.gemmTN(offset(input), k, offset(dz), o, offset(dW), o, n, k, o, 0);
    simd.sumRows(offset(dz), offset(dB), 1, n, layer.outputs, 1);
    grads.unshift(dW, dB);
    if (i > 0)
      dz = inputGradient(backend, simd, dz, layer, layers[i - 1]!.relu ? input : null, temporary);
  }
  dispose(backend, ...scratch);
  return [loss, logits, ...grads];
}

/** dz W^T, masked by the previous layer's relu (its output > 0): the previous layer's dz. */
function inputGradient(
  backend: WasmBackend,
  simd: SimdKernels,
  dz: TensorInfo,
  layer: { w: TensorInfo; inputs: number; outputs: number },
  mask: TensorInfo | null,
  temporary: (shape: number[]) => TensorInfo,
): TensorInfo {
  const n = dz.shape[0]!;
  const wT = temporary([layer.outputs, layer.inputs]);
  simd.transpose(
    heapOffset(backend, layer.w),
    heapOffset(backend, wT),
    layer.inputs,
    layer.outputs,
  );
  const previous = temporary([n, layer.inputs]);
  const [k, o] = [layer.inputs, layer.outputs];
  const at = (t: TensorInfo) => heapOffset(backend, t);
  simd.gemmNN(at(dz), o, at(wT), k, at(previous), k, n, o, k, 0, mask ? at(mask) : 0, 0, 0);
  return previous;
}

export const denseStepConfig = /* @__PURE__ */ wasmKernel(
  DenseStepKernel,
  denseStepWasm as unknown as (args: KernelArgs) => TensorInfo,
);
