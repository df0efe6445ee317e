import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binaryModule, compileSimdKernels } from './simd/build.mjs';

describe('simd-binary.ts', () => {
  it('is the build of simd/*.as (else run node src/kernels/simd/build.mjs)', async () => {
    const fresh = binaryModule(await compileSimdKernels(), await compileSimdKernels(true));
    const committed = readFileSync(new URL('./simd-binary.ts', import.meta.url), 'utf8');
    expect(committed).toBe(fresh);
  });
});
