import type { BatchLogs, Callback, EpochLogs } from '@tunelab/core';
import { SingleBar } from 'cli-progress';
import pc from 'picocolors';

/** Formats a number with 4 decimals, or '-' when absent. */
export function fmt(value: number | undefined, digits = 4): string {
  return value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

/**
 * Shows a progress bar per epoch (when `bar` is set: a terminal) and prints one line per
 * finished epoch through `print`: train and validation loss/accuracy, time, throughput.
 */
export function progressCallback(options: {
  stream: NodeJS.WriteStream;
  print: (line: string) => void;
  bar: boolean;
}): Callback {
  let bar: SingleBar | null = null;
  let epochStart = 0;
  let epochSamples = 0;
  let trainSeconds = 0;
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  return {
    onEpochBegin(epoch, ctx) {
      epochStart = performance.now();
      epochSamples = 0;
      if (!options.bar) return;
      bar = new SingleBar({
        stream: options.stream,
        format: `epoch ${epoch}/${ctx.epochs} {bar} {value}/{total} | loss {loss} acc {accuracy} | {rate} samples/s | ETA {eta_formatted}`,
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
      });
      bar.start(ctx.batchesPerEpoch, 0, { loss: '-', accuracy: '-', rate: '-' });
    },
    onBatchEnd(logs: BatchLogs, ctx) {
      epochSamples = Math.min(logs.batch * ctx.batchSize, ctx.trainSize);
      trainSeconds = (performance.now() - epochStart) / 1000;
      if (!bar) return;
      if (logs.fresh) {
        const rate = Math.round(epochSamples / Math.max(trainSeconds, 1e-9));
        bar.update(logs.batch, {
          loss: fmt(logs.metrics.loss),
          accuracy: fmt(logs.metrics.accuracy),
          rate: rate.toLocaleString('en-US'),
        });
      } else {
        bar.update(logs.batch);
      }
    },
    onEpochEnd(logs: EpochLogs, ctx) {
      stop();
      const seconds = (performance.now() - epochStart) / 1000;
      const rate = Math.round(epochSamples / Math.max(trainSeconds, 1e-9));
      const m = logs.metrics;
      options.print(
        `epoch ${String(logs.epoch).padStart(String(ctx.epochs).length)}/${ctx.epochs}  ` +
          `train loss ${fmt(m.trainLoss)} acc ${fmt(m.trainAccuracy)}  ` +
          // A run with evaluation.heldOut 'test' has test metrics in their place.
          `${pc.bold(m.testAccuracy !== undefined ? `TEST loss ${fmt(m.testLoss)} acc ${fmt(m.testAccuracy)}` : `val loss ${fmt(m.valLoss)} acc ${fmt(m.valAccuracy)}`)}  ` +
          pc.dim(`(${seconds.toFixed(1)}s, ${rate.toLocaleString('en-US')} samples/s)`),
      );
    },
    onTrainEnd: stop,
  };
}
