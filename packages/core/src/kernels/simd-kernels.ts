import { relaxedSimdKernelsBase64, simdKernelsBase64 } from './simd-binary.js';
import { setSimdProbe } from './simd-probe.js';

export { canRunSimdKernel } from './simd-probe.js';

/**
 * A window geometry: batch, input height, width and channels, output height and width, then
 * (for convolutions) output channels, window height and width, strides and top / left padding.
 */
type Geometry = number[];

/** The exports of simd/*.as; pointers are byte offsets into the tfjs wasm heap. */
export interface SimdKernels {
  /** simd/conv2d-filter-grad.as: n, h, w, ci, oh, ow, co, kh, kw, sh, sw, pt, pl. */
  conv2dFilterGrad(x: number, dy: number, dW: number, ...geometry: Geometry): void;
  /** simd/depthwise-filter-grad.as: n, h, w, c, oh, ow, kh, kw, sh, sw, pt, pl. */
  depthwiseFilterGrad(x: number, dy: number, dW: number, ...geometry: Geometry): void;
  /** simd/max-pool-grad.as: n, h, w, c, oh, ow, fh, fw, sh, sw, pt, pl. */
  maxPoolGrad(x: number, dy: number, dx: number, ...geometry: Geometry): void;
  /** simd/add-bias.as: out[r, c] = x[r, c] + bias[c]. */
  addBias(x: number, bias: number, out: number, rows: number, cols: number): void;
  /** simd/relu-grad.as: dx[i] = y[i] > 0 ? dy[i] : 0. */
  reluGrad(dy: number, y: number, dx: number, n: number): void;
  /** simd/softmax-cross-entropy.as: mean loss and d loss / d logits for logits [n, c], int32 labels [n]. */
  softmaxCrossEntropy(
    logits: number,
    labels: number,
    loss: number,
    grad: number,
    n: number,
    c: number,
  ): void;
  /** simd/bytes-to-float.as: out[i] = bytes[i] * scale for n bytes. */
  bytesToFloat(bytes: number, out: number, n: number, scale: number): void;
  /** simd/count-correct.as: rows of outputs [n, c] whose first arg-max is the int32 label. */
  countCorrect(outputs: number, labels: number, count: number, n: number, c: number): void;
  /** simd/narrow-mat-mul.as: out = x W (+ bias) (relu) for W [inner, n], n small; wT is scratch. */
  narrowMatMul(
    x: number,
    w: number,
    wT: number,
    bias: number,
    out: number,
    rows: number,
    inner: number,
    n: number,
    relu: number,
  ): void;
  /** simd/narrow-mat-mul.as: out = a^T b for a [k, m], b [k, n]; outT is scratch [n, m]. */
  narrowMatMulTN(
    a: number,
    b: number,
    outT: number,
    out: number,
    k: number,
    m: number,
    n: number,
  ): void;
  /** simd/sum-rows.as: out[o, c] = scale * sum over r of x[o, r, c]. */
  sumRows(x: number, out: number, outer: number, rows: number, cols: number, scale: number): void;
  /**
   * simd/gemm.as: out = relu?(a b + bias) (+ out) for a [m, k], b [k, n] with row strides
   * lda, ldb, ldc (floats), zeroed where mask <= 0; 0 = no bias / mask; accumulate 1 adds.
   */
  gemmNN(
    a: number,
    lda: number,
    b: number,
    ldb: number,
    out: number,
    ldc: number,
    m: number,
    k: number,
    n: number,
    bias: number,
    mask: number,
    relu: number,
    accumulate: number,
  ): void;
  /** simd/gemm.as: out = a^T b (+ out) for a [r, m], b [r, n] with row strides lda, ldb, ldc. */
  gemmTN(
    a: number,
    lda: number,
    b: number,
    ldb: number,
    out: number,
    ldc: number,
    r: number,
    m: number,
    n: number,
    accumulate: number,
  ): void;
  /** simd/gemm.as: out [n, m] = a^T for a [m, n]. */
  transpose(a: number, out: number, m: number, n: number): void;
  /** simd/conv.as: out = relu?(conv(x, W) + bias) via im2col chunks of `chunk` positions. */
  conv2dForward(
    x: number,
    w: number,
    bias: number,
    out: number,
    col: number,
    chunk: number,
    relu: number,
    ...geometry: Geometry
  ): void;
  /** simd/conv-c1.as: out = relu?(conv(x, W) + bias) for a one-channel x, co a multiple of 4. */
  conv2dForwardC1(
    x: number,
    w: number,
    bias: number,
    out: number,
    relu: number,
    ...geometry: Geometry
  ): void;
  /** simd/conv.as: dW = im2col(x)^T dy, in chunks of `chunk` positions. */
  conv2dFilterGradGemm(
    x: number,
    dy: number,
    dW: number,
    col: number,
    chunk: number,
    ...geometry: Geometry
  ): void;
  /** simd/conv.as: dx = col2im(dy W^T) for wT = W^T [co, kh*kw*ci], chunks of `chunk` positions. */
  conv2dInputGradGemm(
    dy: number,
    wT: number,
    dx: number,
    col: number,
    chunk: number,
    ...geometry: Geometry
  ): void;
  /**
   * simd/winograd.as: u [16, ci, co] (or [16, co, ci] when transposed) = G g G^T of each
   * channel pair of w [3, 3, ci, co], the filter turned by 180 degrees when flip is 1.
   */
  winogradFilter(
    w: number,
    u: number,
    ci: number,
    co: number,
    flip: number,
    transposed: number,
  ): void;
  /**
   * simd/winograd.as: out = relu?(conv(x, W) + bias), 3x3 stride 1, by Winograd F(2x2, 3x3)
   * from u = winogradFilter(W); v [16, chunk, ci] and m [16, chunk, co] are scratch.
   */
  winogradForward(
    x: number,
    u: number,
    bias: number,
    out: number,
    v: number,
    m: number,
    chunk: number,
    relu: number,
    n: number,
    h: number,
    w: number,
    ci: number,
    oh: number,
    ow: number,
    co: number,
    pt: number,
    pl: number,
  ): void;
  /**
   * simd/winograd.as: dW [3, 3, ci, co] of a 3x3 stride-1 convolution from x and dy by
   * Winograd F(2x2, 3x3); du [16, ci, co], v [16, chunk, ci], z [16, chunk, co] are scratch.
   */
  winogradFilterGrad(
    x: number,
    dy: number,
    dW: number,
    du: number,
    v: number,
    z: number,
    chunk: number,
    n: number,
    h: number,
    w: number,
    ci: number,
    oh: number,
    ow: number,
    co: number,
    pt: number,
    pl: number,
  ): void;
  /** simd/batch-norm.as: per-channel mean and biased variance of x [rows, c]. */
  batchNormStats(x: number, mean: number, variance: number, rows: number, c: number): void;
  /** simd/batch-norm.as: y = relu?(x * scale[ch] + shift[ch]) over [rows, c]. */
  batchNormApply(
    x: number,
    scale: number,
    shift: number,
    y: number,
    rows: number,
    c: number,
    relu: number,
  ): void;
  /** simd/batch-norm.as: s1 = sum dy, s2 = sum dy (x - mean) per channel (dy masked by y > 0 unless y is 0). */
  batchNormGradSums(
    dy: number,
    x: number,
    mean: number,
    y: number,
    dyOut: number,
    s1: number,
    s2: number,
    rows: number,
    c: number,
  ): void;
  /** simd/batch-norm.as: dx = a[ch] dy + b[ch] x + d[ch] over [rows, c]. */
  batchNormGradApply(
    dy: number,
    x: number,
    a: number,
    b: number,
    d: number,
    dx: number,
    rows: number,
    c: number,
  ): void;
  /** simd/sgd-update.as: one SGD (momentum, Nesterov, coupled decay) update of n floats. */
  sgdUpdate(
    w: number,
    g: number,
    v: number,
    wOut: number,
    vOut: number,
    n: number,
    lr: number,
    momentum: number,
    nesterov: number,
    decay: number,
  ): void;
}

/** The Emscripten module of tfjs-backend-wasm, as far as finding its memory goes. */
interface EmscriptenModule {
  readonly asm?: { readonly memory?: unknown };
  readonly wasmMemory?: unknown;
}

let compiled: WebAssembly.Module | null | undefined;
let loadedRelaxed = false;
/** $TUNELAB_RELAXED_SIMD=0 (Node) keeps the plain build even where the engine has relaxed SIMD. */
let relaxed =
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
    ?.TUNELAB_RELAXED_SIMD !== '0';
let enabled = true;
let instances = new WeakMap<WebAssembly.Memory, SimdKernels>();

/**
 * The SIMD kernels, instantiated on the wasm backend's own memory so they read and write its
 * tensors in place; undefined where that is not possible (no wasm SIMD, a shared memory from
 * the threaded build, or disabled by {@link setSimdKernelsEnabled}): callers then fall back to
 * compositions of the backend's XNNPACK kernels.
 */
export function simdKernels(wasm: EmscriptenModule): SimdKernels | undefined {
  if (!enabled) return undefined;
  const memory = wasm.asm?.memory ?? wasm.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) return undefined;
  const cached = instances.get(memory);
  if (cached !== undefined) return cached;
  if (compiled === undefined) compiled = compile();
  if (compiled === null) return undefined;
  try {
    const instance = new WebAssembly.Instance(compiled, { env: { memory } });
    const kernels = instance.exports as unknown as SimdKernels;
    instances.set(memory, kernels);
    return kernels;
  } catch {
    return undefined;
  }
}

const decode = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

/**
 * The relaxed-SIMD build (fused multiply-adds in the products) where the engine accepts it
 * (Chrome 114+, Node 22+, Node 20 once `enableWasmRelaxedSimd` from @tunelab/core/node has
 * run), else the plain SIMD build, else null (no wasm SIMD).
 */
function compile(): WebAssembly.Module | null {
  for (const base64 of relaxed
    ? [relaxedSimdKernelsBase64, simdKernelsBase64]
    : [simdKernelsBase64]) {
    const bytes = decode(base64);
    if (WebAssembly.validate(bytes)) {
      loadedRelaxed = base64 === relaxedSimdKernelsBase64;
      return new WebAssembly.Module(bytes);
    }
  }
  return null;
}

/**
 * Which build of the SIMD kernels is (or would be, on first use) loaded: 'relaxed' (fused
 * multiply-adds), 'simd', or 'none' where the engine has no wasm SIMD.
 */
export function simdKernelsBuild(): 'relaxed' | 'simd' | 'none' {
  if (compiled === undefined) compiled = compile();
  return compiled === null ? 'none' : loadedRelaxed ? 'relaxed' : 'simd';
}

/**
 * Whether to prefer the relaxed-SIMD build (default true); the kernels are compiled and
 * instantiated afresh at their next use. For tests and for comparing the two builds.
 */
export function preferRelaxedSimd(value: boolean): void {
  relaxed = value;
  compiled = undefined;
  instances = new WeakMap();
}

setSimdProbe((wasm) => simdKernels(wasm as EmscriptenModule) !== undefined);

/** Turns the SIMD kernels off (or back on), e.g. to test the fallback paths. */
export function setSimdKernelsEnabled(value: boolean): void {
  enabled = value;
}
