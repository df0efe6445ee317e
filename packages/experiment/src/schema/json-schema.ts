import { z } from 'zod';
import { jsonExperimentSchema } from './experiment.js';

/**
 * The JSON Schema of experiment files (draft-07, which editors support widely), generated
 * from the zod schema with every field's description: reference it from a JSON experiment,
 * `"$schema": "./node_modules/@tunelab/experiment/dist/experiment.schema.json"`, and VS Code
 * completes and checks the file. The package ships it as experiment.schema.json.
 */
export function experimentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(jsonExperimentSchema, { target: 'draft-7', io: 'input' });
  return {
    ...schema,
    $id: 'https://tunelab.dev/schemas/experiment.schema.json',
    title: 'tunelab experiment',
  };
}
