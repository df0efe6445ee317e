// pnpm bench: time to load all 70,000 Fashion-MNIST images (gunzip + parse + validate +
// wrap as uint8 datasets), against the floor measured in the same run: reading and
// gunzipping the same four files and nothing else. Target: under one second.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { concatDatasets } from '@tunelab/datasets';
import { loadDataset, locateDataset } from '@tunelab/datasets/node';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const located = locateDataset(
  'fashion-mnist',
  process.env.FASHION_MNIST_DIR ? { path: process.env.FASHION_MNIST_DIR } : {},
);
const files = Object.values(located.files).flat();

function median(fn) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

let count = 0;
const baseline = median(() => {
  for (const f of files) gunzipSync(readFileSync(f));
});
const load = median(() => {
  const loaded = loadDataset('fashion-mnist', { path: located.dir });
  count = loaded.parts.train.size + loaded.parts.test.size;
});
const merged = median(() => {
  const loaded = loadDataset('fashion-mnist', { path: located.dir });
  concatDatasets([loaded.parts.train, loaded.parts.test]);
});

const row = (name, s, ratio) =>
  `  ${name.padEnd(46)} ${s.toFixed(3).padStart(7)} s${ratio ? `  ${ratio.toFixed(2)}x baseline` : ''}`;
console.log(
  `load Fashion-MNIST from ${located.dir}: ${count.toLocaleString('en-US')} images, median of ${runs}`,
);
console.log(row('baseline: read + gunzip the 4 files', baseline));
console.log(row('loadDataset (gunzip, parse, validate, uint8)', load, load / baseline));
console.log(row('loadDataset + merge train and test', merged, merged / baseline));
console.log(`  target: load under 1 s: ${load < 1 ? 'met' : 'NOT met'}`);
console.log(
  JSON.stringify({
    bench: 'datasets/load-fashion-mnist',
    images: count,
    runs,
    baselineSeconds: baseline,
    loadSeconds: load,
    mergedSeconds: merged,
  }),
);
