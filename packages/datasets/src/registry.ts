/** The files of one part of an MNIST-format dataset. */
export interface IdxPartFiles {
  readonly images: string;
  readonly labels: string;
}

/** What tunelab knows about a named dataset: its files, classes and where copies live. */
export interface KnownDataset {
  readonly name: string;
  readonly title: string;
  readonly format: 'idx';
  /** Official parts by name ('train', 'test') and their file names (gzipped). */
  readonly parts: Readonly<Record<string, IdxPartFiles>>;
  readonly classes: readonly string[];
  /** Folders where operating-system packages put a copy. */
  readonly systemDirs: readonly string[];
  /** Where a person can download the files by hand. */
  readonly homepage: string;
}

const mnistFiles = {
  train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' },
  test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
} as const;

export const KNOWN_DATASETS: Readonly<Record<string, KnownDataset>> = {
  'fashion-mnist': {
    name: 'fashion-mnist',
    title: 'Fashion-MNIST',
    format: 'idx',
    parts: mnistFiles,
    classes: [
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ],
    systemDirs: ['/usr/share/datasets/fashion-mnist'],
    homepage: 'https://github.com/zalandoresearch/fashion-mnist',
  },
  mnist: {
    name: 'mnist',
    title: 'MNIST',
    format: 'idx',
    parts: mnistFiles,
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    systemDirs: ['/usr/share/datasets/mnist'],
    homepage: 'http://yann.lecun.com/exdb/mnist/',
  },
};

/** The known dataset called `name`, or an error listing the known names. */
export function knownDataset(name: string): KnownDataset {
  const found = KNOWN_DATASETS[name];
  if (!found)
    throw new Error(
      `Unknown dataset "${name}": expected one of ${Object.keys(KNOWN_DATASETS).join(', ')}, or a path to a folder of IDX files`,
    );
  return found;
}
