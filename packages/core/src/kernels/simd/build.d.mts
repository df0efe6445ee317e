/** The module's bytes, compiled from every .as file in simd/. */
export function compileSimdKernels(): Promise<Uint8Array>;
/** The TypeScript module that embeds `bytes` as base64. */
export function binaryModule(bytes: Uint8Array): string;
