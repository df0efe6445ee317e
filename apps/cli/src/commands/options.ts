import { InvalidArgumentError } from 'commander';

/** Commander parser for a positive integer option. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

/** Commander parser for a non-negative integer option. */
export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return n;
}

/** Commander parser for comma-separated fractions that sum to 1, e.g. "0.8,0.1,0.1". */
export function ratios(value: string): number[] {
  const parts = value.split(',').map((v) => Number(v.trim()));
  if (parts.length < 2 || parts.some((p) => !Number.isFinite(p) || p < 0)) {
    throw new InvalidArgumentError(
      `expected comma-separated fractions like 0.8,0.1,0.1, got "${value}"`,
    );
  }
  const sum = parts.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-9)
    throw new InvalidArgumentError(`fractions must sum to 1, "${value}" sums to ${sum}`);
  return parts;
}
