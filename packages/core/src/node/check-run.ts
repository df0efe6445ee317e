import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkRunFiles, type RunFilesCheck } from '../record/directory.js';
import { RUN_FILES } from '../record/format.js';

/**
 * Checks a run directory on disk against the record contract ({@link checkRunFiles}).
 * `checkRunDirectory('runs/20261123-141502-quickstart-3fa2').problems` is [] for a complete run.
 */
export function checkRunDirectory(dir: string): RunFilesCheck {
  const read = (name: string) =>
    existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '';
  const folder = join(dir, RUN_FILES.artifacts);
  const artifacts = new Map<string, Uint8Array>();
  if (existsSync(folder))
    for (const name of readdirSync(folder).sort())
      if (statSync(join(folder, name)).isFile())
        artifacts.set(name, new Uint8Array(readFileSync(join(folder, name))));
  return checkRunFiles({
    record: read(RUN_FILES.record),
    metrics: read(RUN_FILES.metrics),
    artifacts,
  });
}
