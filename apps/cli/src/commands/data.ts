import { concatDatasets, KNOWN_DATASETS, splitByRatios } from '@tunelab/datasets';
import {
  type DownloadProgress,
  fetchDataset,
  type LoadedDataset,
  locateDataset,
  openDataset,
} from '@tunelab/datasets/node';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { Command } from 'commander';
import pc from 'picocolors';
import { UsageError } from '../errors.js';
import { nonNegativeInt, ratios } from './options.js';

const SOURCE_NOTES: Record<string, string> = {
  explicit: 'the path given',
  cache: 'tunelab cache',
  system: 'system copy',
  download: 'just downloaded',
};

const n = (v: number) => v.toLocaleString('en-US');

/** Sizes, shapes and class counts of a loaded dataset, as `data info --json` prints them. */
export function describeDataset(loaded: LoadedDataset) {
  const parts = Object.entries(loaded.parts).map(([name, part]) => ({
    name,
    count: part.size,
    shape: [...part.inputShape],
    classCounts: part.classCounts(),
  }));
  const classCounts = loaded.classes.map((_, c) =>
    parts.reduce((sum, p) => sum + (p.classCounts[c] ?? 0), 0),
  );
  return {
    name: loaded.name,
    title: loaded.title,
    format: loaded.format,
    source: loaded.source,
    location: loaded.location,
    missing: [...loaded.missing],
    parts,
    count: parts.reduce((sum, p) => sum + p.count, 0),
    classes: [...loaded.classes],
    classCounts,
  };
}

function infoCommand(): Command {
  return new Command('info')
    .summary('sizes, shapes and class counts of a dataset, and where it was found')
    .description(
      'Load a dataset by name (fashion-mnist, mnist, cifar10: found in the cache or a system copy) ' +
        'or by path (a folder of IDX or CIFAR-10 batch files, or a CSV file) and describe it. ' +
        'Every file is fully validated: a bad or missing file exits with code 2 and the reason on ' +
        'stderr (--allow-partial describes the files present of an incomplete folder).',
    )
    .argument('<dataset>', `a known name (${Object.keys(KNOWN_DATASETS).join(', ')}) or a path`)
    .option('--data <folder>', 'for a known name: read it from this folder')
    .option('--label <column>', 'label column of a CSV file', 'label')
    .option('--allow-partial', 'describe a folder missing some of its files (they are listed)')
    .option(
      '--json',
      'print JSON: name, source, missing, parts [{ name, count, shape }], classes, classCounts',
    )
    .action(
      (
        dataset: string,
        flags: { data?: string; label: string; allowPartial?: boolean; json?: boolean },
      ) => {
        const loaded = openDataset(dataset, {
          label: flags.label,
          ...(flags.data ? { path: flags.data } : {}),
          ...(flags.allowPartial ? { allowPartial: true } : {}),
        });
        const info = describeDataset(loaded);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
          return;
        }
        const out = (line: string) => process.stdout.write(`${line}\n`);
        out(`${pc.bold(info.title)} (${info.name}, ${info.format})`);
        out(`found in ${info.location} (${SOURCE_NOTES[info.source] ?? info.source})`);
        if (info.missing.length) out(pc.yellow(`partial: missing ${info.missing.join(', ')}`));
        out('');
        out(`${'part'.padEnd(8)}${'examples'.padStart(10)}  shape`);
        for (const p of info.parts)
          out(`${p.name.padEnd(8)}${n(p.count).padStart(10)}  ${p.shape.join('x')}`);
        out(`${'total'.padEnd(8)}${n(info.count).padStart(10)}`);
        out('');
        out(`${info.classes.length} classes:`);
        const width = Math.max(...info.classes.map((c) => c.length));
        for (const [i, c] of info.classes.entries()) {
          out(
            `  ${String(i).padStart(2)}  ${c.padEnd(width)}  ${n(info.classCounts[i]!).padStart(8)}`,
          );
        }
      },
    );
}

function fetchCommand(): Command {
  return new Command('fetch')
    .summary('download a dataset into the cache, verifying checksums')
    .description(
      'Download a known dataset from its official source into the cache folder ' +
        '($TUNELAB_DATA_DIR, else $XDG_CACHE_HOME/tunelab/datasets), checking each file against the ' +
        "source's published MD5. Nothing is downloaded when a copy is already available (cache or " +
        'system), unless --force. Retries dropped connections; tries mirrors in order.',
    )
    .argument('<dataset>', `one of ${Object.keys(KNOWN_DATASETS).join(', ')}`)
    .option('--force', 'download into the cache even if a system copy exists')
    .option('--json', 'print JSON: name, location, source, downloaded')
    .action(async (name: string, flags: { force?: boolean; json?: boolean }) => {
      if (!KNOWN_DATASETS[name])
        throw new UsageError(
          `Unknown dataset "${name}": expected one of ${Object.keys(KNOWN_DATASETS).join(', ')}`,
        );
      if (!flags.force) {
        try {
          const found = locateDataset(name);
          report(
            flags.json,
            { name, location: found.dir, source: found.source, downloaded: [] },
            `${name} is already available in ${found.dir} (${SOURCE_NOTES[found.source]}); use --force to download into the cache anyway`,
          );
          return;
        } catch {
          // not found: download it
        }
      }
      const bars =
        !flags.json && process.stderr.isTTY
          ? new MultiBar(
              {
                stream: process.stderr,
                format: '{file} {bar} {percentage}% | {value}/{total} bytes',
                hideCursor: true,
              },
              Presets.shades_classic,
            )
          : null;
      const perFile = new Map<string, SingleBar>();
      const onProgress = (p: DownloadProgress) => {
        if (!bars) return;
        let bar = perFile.get(p.file);
        if (!bar) {
          bar = bars.create(p.total ?? 0, 0, { file: p.file });
          perFile.set(p.file, bar);
        }
        bar.update(p.received);
      };
      try {
        const result = await fetchDataset(name, { onProgress });
        bars?.stop();
        report(
          flags.json,
          {
            name,
            location: result.located.dir,
            source: result.located.source,
            downloaded: result.downloaded,
          },
          `${name}: ${result.downloaded.length ? `downloaded ${result.downloaded.join(', ')}` : 'cache already complete'} into ${result.located.dir}`,
        );
      } finally {
        bars?.stop();
      }
    });
}

function report(json: boolean | undefined, data: Record<string, unknown>, line: string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${line}\n`);
}

function splitCommand(): Command {
  return new Command('split')
    .summary('split sizes and a fingerprint of the shuffled order')
    .description(
      'Merge the parts of a dataset (e.g. Fashion-MNIST train + test = 70,000), shuffle with the seed ' +
        'and cut by the ratios, as `tunelab train` does. Prints the sizes and a fingerprint of the ' +
        'index order: two machines with the same fingerprint have the same split.',
    )
    .argument('<dataset>', 'a known name or a path')
    .option('--ratios <list>', 'comma-separated fractions that sum to 1', ratios, [0.8, 0.1, 0.1])
    .option('--seed <n>', 'seed of the shuffle', nonNegativeInt, 42)
    .option('--stratify', 'keep class proportions in every part')
    .option('--data <folder>', 'for a known name: read it from this folder')
    .option('--label <column>', 'label column of a CSV file', 'label')
    .option('--json', 'print JSON: sizes, fingerprint, names, seed, ratios, total')
    .addHelpText(
      'after',
      '\nExample:\n  $ tunelab data split fashion-mnist --ratios 0.8,0.1,0.1 --seed 42\n  56,000 / 7,000 / 7,000 (train / validation / test), fingerprint c3b2e2100422ff9f',
    )
    .action(
      (
        dataset: string,
        flags: {
          ratios: number[];
          seed: number;
          stratify?: boolean;
          data?: string;
          label: string;
          json?: boolean;
        },
      ) => {
        const loaded = openDataset(dataset, {
          label: flags.label,
          ...(flags.data ? { path: flags.data } : {}),
        });
        const merged = concatDatasets(Object.values(loaded.parts));
        const split = splitByRatios(merged.size, {
          seed: flags.seed,
          ratios: flags.ratios,
          ...(flags.stratify ? { stratifyBy: merged.labels() } : {}),
        });
        const result = {
          name: loaded.name,
          total: merged.size,
          seed: flags.seed,
          ratios: split.ratios,
          names: split.names,
          sizes: split.sizes,
          stratified: split.stratified,
          fingerprint: split.fingerprint,
        };
        report(
          flags.json,
          result,
          `${split.sizes.map(n).join(' / ')} (${split.names.join(' / ')}) of ${n(merged.size)}, seed ${flags.seed}${split.stratified ? ', stratified' : ''}, fingerprint ${split.fingerprint}`,
        );
      },
    );
}

export function dataCommand(): Command {
  return new Command('data')
    .summary('inspect, download and split datasets')
    .description('Inspect, download and split datasets.')
    .addCommand(infoCommand())
    .addCommand(fetchCommand())
    .addCommand(splitCommand());
}
