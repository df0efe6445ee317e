import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { importFile } from '../node/import.js';
import { recordFunctions } from '../node/load.js';
import { experimentJsonSchema } from './json-schema.js';

const examples = fileURLToPath(new URL('../../../../examples/', import.meta.url));
const committed = fileURLToPath(new URL('../../experiment.schema.json', import.meta.url));
// Experiment files import defineExperiment from 'tunelab'; this package's build has it too.
const alias = { tunelab: fileURLToPath(new URL('../../dist/index.js', import.meta.url)) };

/**
 * Every experiment among the examples: the JSON files that name this schema as their
 * `$schema`, and the default exports of the .ts files that call defineExperiment.
 */
async function exampleExperiments(): Promise<Array<[string, unknown]>> {
  const found: Array<[string, unknown]> = [];
  for (const name of readdirSync(examples).sort()) {
    if (name.endsWith('.json')) {
      const json = JSON.parse(readFileSync(examples + name, 'utf8')) as { $schema?: string };
      if (json.$schema?.endsWith('experiment.schema.json')) found.push([name, json]);
    }
    if (name.endsWith('.ts') && !name.endsWith('.test.ts')) {
      const source = readFileSync(examples + name, 'utf8');
      if (!source.includes('defineExperiment(')) continue;
      const experiment = (await importFile(examples + name, alias)).default;
      // As it runs and is recorded: a model function becomes { file, export }.
      found.push([name, recordFunctions(experiment, examples + name, ['default'])]);
    }
  }
  return found;
}

/** Paths of object properties that carry no description (what an editor would show). */
function undescribed(schema: unknown, path = ''): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const out: string[] = [];
  const properties = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [key, child] of Object.entries(properties)) {
    if (typeof child.description !== 'string') out.push(`${path}.${key}`);
    out.push(...undescribed(child, `${path}.${key}`));
  }
  for (const key of ['anyOf', 'oneOf', 'items'] as const) {
    const value = node[key];
    const list = Array.isArray(value) ? value : value ? [value] : [];
    for (const [i, child] of list.entries())
      out.push(...undescribed(child, `${path}.${key}[${i}]`));
  }
  return out;
}

describe('the JSON Schema of experiment files', () => {
  const schema = experimentJsonSchema();
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

  it('is the committed experiment.schema.json (regenerate: pnpm --filter @tunelab/experiment schema)', () => {
    expect(JSON.parse(readFileSync(committed, 'utf8'))).toEqual(schema);
  });

  it('validates every example experiment, JSON and TypeScript', async () => {
    const found = await exampleExperiments();
    expect(found.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'coursework-sweep.ts',
        'design-a-cnn.ts',
        'model-builder.ts',
        'quickstart.ts',
        'small-cnn.json',
      ]),
    );
    for (const [name, experiment] of found) {
      const ok = validate(experiment);
      expect(ok, `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('rejects a bad experiment, naming where', () => {
    const bad = {
      name: 'bad',
      data: { dataset: 'fashion-mnist' },
      model: { layers: [{ conv3d: { filters: 8 } }] },
      optimizer: { name: 'adam', lr: -1 },
    };
    expect(validate(bad)).toBe(false);
    const where = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    expect(where).toContain(" must have required property 'epochs'");
    expect(where).toContain('/optimizer/lr must be > 0');
    expect(where.some((w) => w.startsWith('/model/layers/0 '))).toBe(true);
  });

  it('describes every field, for the editor to show', () => {
    expect(undescribed(schema)).toEqual([]);
  });
});
