import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExperimentError } from '../errors.js';
import { loadExperiment } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'tunelab-exp-'));
const valid = {
  name: 'demo',
  data: { dataset: 'fashion-mnist' },
  model: { name: 'mlp', hidden: [32] },
  optimizer: { name: 'sgd', lr: 0.1 },
  epochs: 2,
};

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('loadExperiment', () => {
  it('fills in defaults for a minimal JSON experiment', async () => {
    const { experiment } = await loadExperiment(write('ok.json', valid));
    expect(experiment.seed).toBe(42);
    expect(experiment.batchSize).toBe(32);
    expect(experiment.data.split).toEqual([0.8, 0.1, 0.1]);
    expect(experiment.model).toEqual({ name: 'mlp', hidden: [32] });
    expect(experiment.data).toMatchObject({ stratify: false, normalize: false, greyToRgb: false });
  });

  it('loads a TypeScript experiment that imports defineExperiment from tunelab', async () => {
    const path = write(
      'exp.ts',
      `import { defineExperiment } from 'tunelab';
const hidden: number[] = [16, 8];
export default defineExperiment({ name: 'ts-demo', data: { dataset: 'mnist', path: './data' }, model: { name: 'mlp', hidden }, optimizer: { name: 'adam' }, epochs: 1 });
`,
    );
    // What the CLI does: 'tunelab' points at a built entry exporting defineExperiment.
    const entry = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    const { experiment } = await loadExperiment(path, { alias: { tunelab: entry } });
    expect(experiment.name).toBe('ts-demo');
    expect(experiment.optimizer).toEqual({ name: 'adam', lr: 1e-3 });
    // Relative data paths are relative to the experiment file.
    expect(experiment.data.path).toBe(resolve(dir, 'data'));
  });

  it('loads the repository quickstart', async () => {
    // 'tunelab' is this package's own built entry here (the CLI, built after this package,
    // points it at its own): the test does not depend on the CLI being built first.
    const entry = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
    const { experiment } = await loadExperiment(
      resolve(import.meta.dirname, '../../../../examples/quickstart.ts'),
      { alias: { tunelab: entry } },
    );
    expect(experiment.data.dataset).toBe('fashion-mnist');
    expect(experiment.epochs).toBeGreaterThan(0);
  });

  it('names the file and every offending field', async () => {
    const bad = {
      ...valid,
      epochs: 'ten',
      optimizer: { name: 'sgd', lr: 0.1, lrr: 0.2 },
      data: { dataset: 'fashion-mnist', split: [0.5, 0.1, 0.1] },
      model: { name: 'transformer' },
    };
    const path = write('bad.json', bad);
    const error = await loadExperiment(path).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ExperimentError);
    const message = (error as Error).message;
    expect(message.split('\n')[0]).toBe(`${path}: invalid experiment`);
    expect(message).toMatch(/^ {2}data\.split: split fractions must sum to 1$/m);
    expect(message).toMatch(/^ {2}model\.name: Invalid option: expected one of "mlp"\|"lenet5"/m);
    expect(message).toMatch(/^ {2}optimizer: Unrecognized key: "lrr"$/m);
    expect(message).toMatch(/^ {2}epochs: Invalid input: expected number, received string$/m);
  });

  it('explains missing files, bad JSON, unknown extensions and missing default exports', async () => {
    await expect(loadExperiment(join(dir, 'nope.json'))).rejects.toThrow(
      /nope\.json: experiment file not found/,
    );
    await expect(loadExperiment(write('broken.json', '{"name": '))).rejects.toThrow(
      /broken\.json: not valid JSON/,
    );
    await expect(loadExperiment(write('exp.yaml', 'name: x'))).rejects.toThrow(
      /exp\.yaml: expected an experiment file ending in \.ts, \.mts, \.js, \.mjs or \.json/,
    );
    await expect(loadExperiment(write('named.ts', 'export const other = 1;'))).rejects.toThrow(
      /named\.ts: export the experiment as the default export/,
    );
  });
});
