import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelSources } from '../build/model.js';
import { importBuilder } from './import.js';

/**
 * Where models get what lives outside the experiment in Node: builder functions from their
 * files (imported with jiti, `alias` applied) and previous runs' weights from their
 * artifacts/ folders.
 */
export function nodeModelSources(alias: Readonly<Record<string, string>> = {}): ModelSources {
  return {
    importBuilder: (file, exportPath) => importBuilder(file, exportPath, alias),
    readRunArtifact: async (runDir, name) =>
      new Uint8Array(readFileSync(join(runDir, 'artifacts', name))),
  };
}
