import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { ServedDataset } from '@tunelab/core/record';
import { KNOWN_DATASETS } from '@tunelab/datasets';
import { type LocatedDataset, locateDataset } from '@tunelab/datasets/node';

/** Finds a dataset's folder; the default searches like `tunelab train` (cache, then system copies). */
export type DatasetLocator = (name: string) => LocatedDataset;

export const defaultLocator: DatasetLocator = (name) => locateDataset(name);

/**
 * The IDX datasets (Fashion-MNIST, MNIST) found on this machine, where `locate` finds them.
 * Only these files are ever served: nothing else on disk is reachable through the dataset routes.
 */
export function servedDatasets(locate: DatasetLocator = defaultLocator): ServedDataset[] {
  const served: ServedDataset[] = [];
  for (const known of Object.values(KNOWN_DATASETS)) {
    if (known.format !== 'idx') continue;
    let located: LocatedDataset;
    try {
      located = locate(known.name);
    } catch {
      continue;
    }
    const parts: Record<string, Array<{ name: string; bytes: number }>> = {};
    for (const [part, paths] of Object.entries(located.files)) {
      parts[part] = paths.map((p) => ({ name: basename(p), bytes: statSync(p).size }));
    }
    served.push({ name: known.name, title: known.title, classes: [...known.classes], parts });
  }
  return served;
}

/** The absolute path of `file` of dataset `name`, or null when it is not one of its located files. */
export function datasetFilePath(
  name: string,
  file: string,
  locate: DatasetLocator = defaultLocator,
): string | null {
  const known = Object.hasOwn(KNOWN_DATASETS, name) ? KNOWN_DATASETS[name] : undefined;
  if (known?.format !== 'idx') return null;
  let located: LocatedDataset;
  try {
    located = locate(name);
  } catch {
    return null;
  }
  return (
    Object.values(located.files)
      .flat()
      .find((p) => basename(p) === file) ?? null
  );
}
