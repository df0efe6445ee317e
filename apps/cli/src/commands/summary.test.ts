import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Command, CommanderError } from 'commander';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../errors.js';
import { inputShape, summarizeZooModel, summaryCommand } from './summary.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs `tunelab summary ...args` in-process; returns stdout, stderr and the error thrown, if any. */
async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const command = summaryCommand()
    .exitOverride()
    .configureOutput({ writeErr: (s) => (stderr += s), writeOut: (s) => (stdout += s) });
  const program = new Command('tunelab').exitOverride().addCommand(command);
  let error: unknown;
  try {
    await program.parseAsync(['summary', ...args], { from: 'user' });
  } catch (e) {
    error = e;
  }
  vi.restoreAllMocks();
  return { stdout, stderr, error };
}

describe('tunelab summary', () => {
  it('prints VGG-16 on 224x224x3 as a table: 138,357,544 parameters, 15.47 G MACs', async () => {
    const r = await run(['vgg16']);
    expect(r.error).toBeUndefined();
    expect(r.stdout).toContain('vgg16: VGG-16');
    expect(r.stdout).toMatch(/block1_conv1 \(Conv2D\)\s+\[224, 224, 64\]\s+1,792/);
    expect(r.stdout).toContain('Total params: 138,357,544');
    expect(r.stdout).toContain('(15.47 G)');
  });

  it('prints JSON with --json, honouring --input, --classes and --no-head', async () => {
    const r = await run(['vgg16', '--input', '32,32,3', '--classes', '10', '--json']);
    expect(r.error).toBeUndefined();
    const summary = JSON.parse(r.stdout);
    // 14,714,688 conv + 512*4096 + 4096 + 4096*4096 + 4096 + 4096*10 + 10
    expect(summary.totals.params).toBe(33_638_218);
    expect(summary.totals.trainableParams).toBe(33_638_218);
    expect(summary.outputShape).toEqual([10]);
    expect(summary.layers[0]).toMatchObject({
      name: 'block1_conv1',
      type: 'Conv2D',
      outputShape: [32, 32, 64],
      params: 1_792,
      macs: 32 * 32 * 64 * 27,
      connections: 32 * 32 * 64 * 28,
      receptiveField: [3, 3],
    });
    const headless = JSON.parse((await run(['resnet18', '--no-head', '--json'])).stdout);
    expect(headless.outputShape).toEqual([512]);
    expect(headless.totals.params).toBe(11_173_962 - 5_130);
  });

  it('reports LeNet-5 with the paper counts', async () => {
    const summary = JSON.parse((await run(['lenet5', '--json'])).stdout);
    const c3 = summary.layers.find((l: { name: string }) => l.name === 'c3');
    expect([c3.params, c3.connections]).toEqual([1_516, 151_600]);
  });

  it('names the known models for an unknown one', async () => {
    const r = await run(['alexnet']);
    expect(r.error).toBeInstanceOf(UsageError);
    expect((r.error as Error).message).toBe(
      'Unknown model "alexnet": expected one of mlp, lenet5, vgg11, vgg16, vgg19, resnet18, linear, mlp2, cnn4, sepcnn5, basecnn, m2cnn',
    );
  });

  it('rejects a malformed --input and an input the model cannot take', async () => {
    const bad = await run(['cnn4', '--input', '32x32']);
    expect(bad.error).toBeInstanceOf(CommanderError);
    expect(bad.stderr).toContain(
      `option '--input <H,W,C>' argument '32x32' is invalid. expected H,W,C as positive integers (e.g. 32,32,3; or one number for a vector), got "32x32"`,
    );
    const small = await run(['vgg11', '--input', '28,28,1']);
    expect(small.error).toBeInstanceOf(UsageError);
    expect((small.error as Error).message).toBe(
      'vgg11 on input [28, 28, 1]: vgg11: input 28x28 does not survive the five 2x2 pools: height and width must be >= 32, got [28,28,1]',
    );
  });
});

describe('summary helpers', () => {
  it('parses input shapes', () => {
    expect(inputShape('224, 224, 3')).toEqual([224, 224, 3]);
    expect(inputShape('784')).toEqual([784]);
    expect(() => inputShape('0,4,4')).toThrow('got "0,4,4"');
  });

  it('summarises without leaking tensors', () => {
    const before = tf.memory().numTensors;
    const summary = summarizeZooModel({ model: 'cnn4' });
    expect(summary.totals.params).toBe(13_570);
    expect(tf.memory().numTensors).toBe(before);
  });
});
