import type { Rng } from '@tunelab/core';

/** Fan-in and fan-out of a weight tensor, used to scale initial values. */
export interface Fans {
  /** Inputs feeding each output unit: in (dense) or kh * kw * cin (conv). */
  readonly fanIn: number;
  /** Output units each input feeds: out (dense) or kh * kw * cout (conv). */
  readonly fanOut: number;
}

/** Fills a weight of `size` values from the generator, scaled by the fans. */
export type Initializer = (size: number, fans: Fans, rng: Rng) => Float32Array;

/**
 * Fans of a weight shape: [in, out] for a dense kernel; [kh, kw, cin, cout] for a conv
 * kernel (fanIn = kh*kw*cin, fanOut = kh*kw*cout); a vector counts as fanIn = fanOut = size.
 */
export function fansOf(shape: readonly number[]): Fans {
  if (shape.length < 2) {
    const n = shape[0] ?? 1;
    return { fanIn: n, fanOut: n };
  }
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return {
    fanIn: receptive * shape[shape.length - 2]!,
    fanOut: receptive * shape[shape.length - 1]!,
  };
}

/**
 * Glorot/Xavier uniform: U(-a, a) with a = sqrt(6 / (fanIn + fanOut)).
 * Paper: Glorot & Bengio 2010, "Understanding the difficulty of training deep feedforward
 * neural networks", http://proceedings.mlr.press/v9/glorot10a.html
 */
export const glorotUniform: Initializer = (size, { fanIn, fanOut }, rng) => {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return rng.uniformArray(size, -limit, limit);
};

/** Glorot/Xavier normal: N(0, s^2) with s = sqrt(2 / (fanIn + fanOut)) (PyTorch's xavier_normal_, not truncated). Paper: Glorot & Bengio 2010. */
export const glorotNormal: Initializer = (size, { fanIn, fanOut }, rng) =>
  rng.normalArray(size, 0, Math.sqrt(2 / (fanIn + fanOut)));

/**
 * He/Kaiming uniform for ReLU networks: U(-a, a) with a = sqrt(6 / fanIn).
 * Paper: He et al. 2015, "Delving Deep into Rectifiers", https://arxiv.org/abs/1502.01852
 */
export const heUniform: Initializer = (size, { fanIn }, rng) => {
  const limit = Math.sqrt(6 / fanIn);
  return rng.uniformArray(size, -limit, limit);
};

/** He/Kaiming normal: N(0, s^2) with s = sqrt(2 / fanIn). Paper: He et al. 2015. */
export const heNormal: Initializer = (size, { fanIn }, rng) =>
  rng.normalArray(size, 0, Math.sqrt(2 / fanIn));

/**
 * All zeros.
 * `zeros(3, fans, rng)` is Float32Array [0, 0, 0] (no random draws).
 */
export const zeros: Initializer = (size) => new Float32Array(size);

/**
 * Every value equal to `value`.
 * `constant(0.1)(3, fans, rng)` is [0.1, 0.1, 0.1] (as float32).
 */
export function constant(value: number): Initializer {
  return (size) => new Float32Array(size).fill(value);
}
