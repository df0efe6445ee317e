/** The module's bytes, compiled from every .as file in simd/; with `relaxed`, relaxed SIMD too. */
export function compileSimdKernels(relaxed?: boolean): Promise<Uint8Array>;
/** The TypeScript module that embeds both builds as base64. */
export function binaryModule(bytes: Uint8Array, relaxedBytes: Uint8Array): string;
