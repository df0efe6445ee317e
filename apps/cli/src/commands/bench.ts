import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { isMissingPackage, simdKernelsBuild } from '@tunelab/core';
import { concatDatasets } from '@tunelab/datasets';
import { loadDataset } from '@tunelab/datasets/node';
import { Command } from 'commander';
import pc from 'picocolors';
import { chooseBackend, describeSelection } from '../backend.js';
import { timeOurLoop } from '../bench/ours.js';
import { PeakMemory, type Timing } from '../bench/timing.js';
import { timeTorch } from '../bench/torch.js';
import { workloadsByIds } from '../bench/workloads.js';
import { parseWorkers } from '../train/workers.js';

interface BenchFlags {
  workload?: string;
  backend?: string;
  seconds: string;
  torch: boolean;
  layers: boolean;
  workers?: string;
  json?: boolean;
  out?: string;
}

const rate = (t: Timing | undefined) =>
  t ? Math.round(t.samplesPerSecond).toLocaleString('en-US') : '–';
const ratio = (a: Timing | undefined, b: Timing | undefined) =>
  a && b ? a.samplesPerSecond / b.samplesPerSecond : null;

export function benchCommand(): Command {
  return new Command('bench')
    .summary('training throughput against tfjs-layers fit and PyTorch, measured in one run')
    .description(
      'Train each benchmark workload (linear, mlp2, cnn4, sepcnn5, basecnn, m2cnn, resnet18) on synthetic in-memory data and print the samples/s of ' +
        "tunelab's training loop, of tfjs-layers model.fit on the same backend (when @tensorflow/tfjs-layers is installed next to tunelab) and of " +
        'PyTorch on this machine (2 threads; needs python3 with torch and the reference script torch_cpu_bench.py of the tunelab repository, named by $TUNELAB_TORCH_BENCH), with the ratios and their targets. Also: loading time of the ' +
        'full Fashion-MNIST, peak resident memory, and tensors alive after each timed epoch.',
    )
    .option('-w, --workload <ids>', 'comma-separated workload ids (default: all)')
    .option('-b, --backend <name>', 'tfjs backend (default: automatic)')
    .option('--seconds <s>', 'target seconds per timed measurement', '5')
    .option(
      '--workers <n>',
      'replica threads for our loop (data parallel): a number, or auto (one per extra core on wasm/cpu for conv models (>= 100k MACs per example and >= 2 per weight))',
      'auto',
    )
    .option('--no-torch', 'skip PyTorch')
    .option('--no-layers', 'skip tfjs-layers model.fit')
    .option('--out <file>', 'also write the JSON results to this file')
    .option('--json', 'print the results as JSON')
    .action(async (flags: BenchFlags) => {
      const workloads = workloadsByIds(flags.workload?.split(',').map((s) => s.trim()));
      const workers = parseWorkers(flags.workers);
      const seconds = Number(flags.seconds);
      const log = (l: string) => process.stderr.write(`${l}\n`);
      const selection = await chooseBackend(flags.backend);
      const kernels = selection.name === 'wasm' ? simdKernelsBuild() : null;
      log(
        `backend: ${describeSelection(selection)}` +
          (kernels
            ? `; tunelab SIMD kernels: ${kernels === 'relaxed' ? 'relaxed SIMD (fused multiply-add)' : kernels}`
            : ''),
      );
      const memory = new PeakMemory();

      let loadSeconds: number | null = null;
      try {
        const t = performance.now();
        const loaded = loadDataset('fashion-mnist');
        concatDatasets(Object.values(loaded.parts));
        loadSeconds = (performance.now() - t) / 1000;
        log(
          `data: full Fashion-MNIST (70,000 images) loaded and merged in ${loadSeconds.toFixed(2)} s`,
        );
      } catch (error) {
        log(`data: Fashion-MNIST not available (${(error as Error).message.split('\n')[0]})`);
      }

      const torch = flags.torch
        ? timeTorch(
            workloads.map((w) => w.id),
            { minSeconds: Math.min(seconds, 3), capSeconds: seconds + 3 },
          )
        : 'skipped (--no-torch)';
      if (typeof torch === 'string') log(`PyTorch: ${torch}`);
      const timeLayersFit = flags.layers ? await loadLayersBench(log) : undefined;
      const rows = [];
      for (const w of workloads) {
        // The wasm heap is 4 GB: ResNet-18's tape at batch 128 does not fit, 32 does.
        const batch = w.id === 'resnet18' && selection.name === 'wasm' ? 32 : w.batch;
        log(`${w.id}: timing our loop${batch !== w.batch ? ` at batch ${batch}` : ''}...`);
        const ours = await timeOurLoop(w, seconds, { batch, workers, backend: selection.name });
        let layers: Timing | undefined;
        if (timeLayersFit) {
          log(`${w.id}: timing tfjs-layers fit...`);
          layers = await timeLayersFit(w, seconds, batch).catch((error: Error) => {
            log(`${w.id}: tfjs-layers fit failed: ${error.message.split('\n')[0]}`);
            return undefined;
          });
        }
        const py = typeof torch === 'string' ? undefined : torch.get(w.id);
        rows.push({
          workload: w.id,
          batch,
          workers: ours.workers ?? 0,
          ours,
          layers: layers ?? null,
          torch: py ?? null,
          oursOverLayers: ratio(ours, layers),
          oursOverTorch: ratio(ours, py),
          torchTarget: w.torchTarget,
          tensorsAfterEpoch: ours.tensorsAfterEpoch,
        });
        memory.sample();
      }
      const result = {
        backend: selection.name,
        simdKernels: kernels,
        date: new Date().toISOString(),
        loadFashionMnistSeconds: loadSeconds,
        peakRssMiB: Math.round(memory.stop() / 2 ** 20),
        tensorsAlive: tf.memory().numTensors,
        torch: typeof torch === 'string' ? torch : 'ok',
        rows,
      };
      if (flags.out) writeFileSync(flags.out, `${JSON.stringify(result, null, 2)}\n`);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const out = (l: string) => process.stdout.write(`${l}\n`);
      const fmtRatio = (r: number | null, target?: number) =>
        r === null
          ? '–'
          : `${r.toFixed(2)}x${target === undefined ? '' : r >= target ? pc.green(' ok') : pc.yellow(` <${target}`)}`;
      out(
        `\nsamples/s on ${selection.name} (tunelab loop vs tfjs-layers fit vs PyTorch CPU 2 threads, same machine, same run)\n`,
      );
      out(
        `${'workload'.padEnd(10)}${'batch'.padStart(6)}${'threads'.padStart(8)}${'tunelab'.padStart(10)}${'layers fit'.padStart(12)}${'PyTorch'.padStart(10)}   ${'vs fit (>=2)'.padEnd(16)}vs PyTorch (target)   tensors/epoch`,
      );
      for (const r of rows) {
        out(
          `${r.workload.padEnd(10)}${String(r.batch).padStart(6)}${String(1 + r.workers).padStart(8)}${rate(r.ours).padStart(10)}${rate(r.layers ?? undefined).padStart(12)}${rate(r.torch ?? undefined).padStart(10)}   ` +
            `${fmtRatio(r.oursOverLayers, 2).padEnd(16 + (r.oursOverLayers === null ? 0 : 10))}${fmtRatio(r.oursOverTorch, r.torchTarget).padEnd(22 + (r.oursOverTorch === null ? 0 : 10))}${(r.tensorsAfterEpoch ?? []).join(' -> ')}`,
        );
      }
      out(
        `\nFashion-MNIST load: ${loadSeconds === null ? '–' : `${loadSeconds.toFixed(2)} s`}; peak RSS ${result.peakRssMiB} MiB`,
      );
    });
}

/**
 * The tfjs-layers comparison, loaded only when asked for: tfjs-layers (31 MB) is a bench extra,
 * not part of the CLI's install. Missing, it is skipped with one line saying how to add it.
 */
async function loadLayersBench(log: (line: string) => void) {
  try {
    return (await import('../bench/layers.js')).timeLayersFit;
  } catch (error) {
    if (!isMissingPackage(error, '@tensorflow/tfjs-layers')) throw error;
    log(
      'tfjs-layers fit: skipped, @tensorflow/tfjs-layers is not installed (add it where tunelab is installed: npm i @tensorflow/tfjs-layers@^4.22.0, or -g for a global tunelab; --no-layers hides this line)',
    );
    return undefined;
  }
}
