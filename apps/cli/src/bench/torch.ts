import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Timing } from './timing.js';

/** Where the PyTorch CPU reference script is: $TUNELAB_TORCH_BENCH, else ../shared/bench beside the repository. */
export function torchScript(explicit?: string): string | undefined {
  const candidates = [
    explicit,
    process.env.TUNELAB_TORCH_BENCH,
    resolve(import.meta.dirname, '../../../../shared/bench/torch_cpu_bench.py'),
    resolve(process.cwd(), '../shared/bench/torch_cpu_bench.py'),
  ];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

/**
 * Runs the PyTorch CPU reference (shared/bench/torch_cpu_bench.py) with Debian's python3-torch,
 * 2 threads and OPENBLAS_NUM_THREADS=1 as BENCHMARKS.md prescribes. Returns samples/s per
 * workload, or a reason when PyTorch is not available.
 */
export function timeTorch(
  ids: readonly string[],
  options: { script?: string; minSeconds: number; capSeconds: number },
): Map<string, Timing> | string {
  const script = torchScript(options.script);
  if (!script)
    return 'PyTorch reference script not found (set TUNELAB_TORCH_BENCH to torch_cpu_bench.py)';
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const check = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (check.status !== 0)
    return 'PyTorch not installed (apt-get install -y --no-install-recommends python3-torch python3-numpy libopenblas0)';
  const result = spawnSync(
    python,
    [script, 'speed', ids.join(','), String(options.minSeconds), String(options.capSeconds)],
    {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1', THREADS: '2' },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (result.status !== 0)
    return `PyTorch run failed: ${(result.stderr || result.stdout).trim().split('\n').at(-1)}`;
  const timings = new Map<string, Timing>();
  for (const line of result.stdout.split('\n')) {
    if (!line.startsWith('RESULT ')) continue;
    const r = JSON.parse(line.slice(7)) as {
      workload?: string;
      samples_per_s?: number;
      steps?: number;
      sec?: number;
      bs?: number;
      other_cores?: number;
    };
    if (r.workload && r.samples_per_s) {
      timings.set(r.workload, {
        samplesPerSecond: r.samples_per_s,
        steps: r.steps ?? 0,
        seconds: r.sec ?? 0,
        batch: r.bs ?? 0,
        ...(r.other_cores && r.other_cores > 0.2
          ? { note: `other processes used ${r.other_cores} cores meanwhile` }
          : {}),
      });
    }
  }
  return timings;
}
