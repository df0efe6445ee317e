/** A benchmark workload of shared/BENCHMARKS.md: zoo model id, batch, optimizer. */
export interface Workload {
  readonly id: 'linear' | 'mlp2' | 'cnn4' | 'sepcnn5' | 'basecnn' | 'm2cnn' | 'resnet18';
  readonly inputShape: readonly [number, number, number];
  readonly batch: number;
  readonly lr: number;
  readonly momentum?: number;
  readonly weightDecay?: number;
  /** Targets against PyTorch CPU with 2 threads (issue 17: dense models, m2cnn 0.5x, ResNet-18 0.35x; the rest as issue 6). */
  readonly torchTarget: number;
}

const fashion = [28, 28, 1] as const;

export const WORKLOADS: readonly Workload[] = [
  { id: 'linear', inputShape: fashion, batch: 100, lr: 0.1, torchTarget: 0.5 },
  { id: 'mlp2', inputShape: fashion, batch: 100, lr: 0.05, torchTarget: 0.5 },
  { id: 'cnn4', inputShape: fashion, batch: 100, lr: 0.01, torchTarget: 0.5 },
  { id: 'sepcnn5', inputShape: fashion, batch: 100, lr: 0.01, torchTarget: 0.5 },
  { id: 'basecnn', inputShape: fashion, batch: 32, lr: 9e-4, torchTarget: 0.5 },
  { id: 'm2cnn', inputShape: fashion, batch: 64, lr: 1e-3, torchTarget: 0.5 },
  {
    id: 'resnet18',
    inputShape: [32, 32, 3],
    batch: 128,
    lr: 0.1,
    momentum: 0.9,
    weightDecay: 5e-4,
    torchTarget: 0.35,
  },
];

export function workloadsByIds(ids: readonly string[] | undefined): Workload[] {
  if (!ids || ids.length === 0) return [...WORKLOADS];
  return ids.map((id) => {
    const w = WORKLOADS.find((x) => x.id === id);
    if (!w)
      throw new Error(
        `unknown workload "${id}": expected ${WORKLOADS.map((x) => x.id).join(', ')}`,
      );
    return w;
  });
}
