// Writes experiment.schema.json (committed; the build copies it into dist) from the zod
// schema of the built package: run `pnpm build` first. A test fails while the file is stale.
import { writeFileSync } from 'node:fs';
import { experimentJsonSchema } from '../dist/index.js';

const file = new URL('../experiment.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(experimentJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
