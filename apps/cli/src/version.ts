import { createRequire } from 'node:module';

// Works from src/ (tests) and from the bundled dist/ file: both sit one level below package.json.
const require = createRequire(import.meta.url);

/** This package's version. */
export const VERSION: string = require('../package.json').version;
