/**
 * Option checks shared by schedules and stopping criteria. Each throws
 * "<where>: <key> must be <expected>, got <value>" so the message names both.
 */
export function check(
  where: string,
  key: string,
  value: unknown,
  ok: (v: number) => boolean,
  expected: string,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value))
    throw new Error(`${where}: ${key} must be ${expected}, got ${show(value)}`);
  return value;
}

export const nonNegative = (where: string, key: string, value: unknown) =>
  check(where, key, value, (v) => v >= 0, 'a non-negative number');

export const positive = (where: string, key: string, value: unknown) =>
  check(where, key, value, (v) => v > 0, 'a positive number');

export const positiveInteger = (where: string, key: string, value: unknown) =>
  check(where, key, value, (v) => Number.isInteger(v) && v >= 1, 'a positive integer');

/** A multiplicative factor in (0, 1] (1 keeps the value). */
export const fraction = (where: string, key: string, value: unknown) =>
  check(where, key, value, (v) => v > 0 && v <= 1, 'in (0, 1]');

/** 'min' or 'max'. */
export function checkMode(where: string, value: unknown): 'min' | 'max' {
  if (value !== 'min' && value !== 'max')
    throw new Error(`${where}: mode must be 'min' or 'max', got ${show(value)}`);
  return value;
}

/** The value as it would be typed: strings quoted, everything else as is. */
export function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
