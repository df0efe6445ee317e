import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { parseWorkers, WORKERS_ENV_VAR } from './workers.js';

afterEach(() => {
  delete process.env[WORKERS_ENV_VAR];
});

describe('--workers', () => {
  it('parses auto, counts and the environment variable', () => {
    expect(parseWorkers(undefined)).toBe('auto');
    expect(parseWorkers('auto')).toBe('auto');
    expect(parseWorkers('0')).toBe(0);
    expect(parseWorkers('3')).toBe(3);
    process.env[WORKERS_ENV_VAR] = '2';
    expect(parseWorkers(undefined)).toBe(2);
    // The flag wins over the environment.
    expect(parseWorkers('1')).toBe(1);
  });

  it('rejects anything else as a usage error naming the flag', () => {
    for (const bad of ['-1', '1.5', 'two', '65']) {
      expect(() => parseWorkers(bad)).toThrow(UsageError);
      expect(() => parseWorkers(bad)).toThrow(/--workers .* got "/);
    }
  });
});
