import { DataError } from './errors.js';

/** Formats tunelab reads. */
export type DatasetFormat = 'idx' | 'cifar10';

/** How to download a dataset from its official source, and how to check what arrived. */
export type DownloadSpec =
  | {
      /** Each file of the dataset is downloaded separately from the first base URL that works. */
      readonly kind: 'files';
      /** Mirrors tried in order; a file's URL is base + file name. */
      readonly baseUrls: readonly string[];
      /** Official MD5 of each file, as the dataset's authors publish it. */
      readonly md5: Readonly<Record<string, string>>;
    }
  | {
      /** One archive holding every file (CIFAR-10). */
      readonly kind: 'archive';
      /** Mirrors of the archive, tried in order. */
      readonly urls: readonly string[];
      /** File name of the archive. */
      readonly file: string;
      /** Official MD5 of the archive. */
      readonly md5: string;
      /** Size of the archive in bytes. */
      readonly bytes: number;
      /** Folder inside the archive that holds the dataset's files. */
      readonly folder: string;
    };

/** What tunelab knows about a named dataset: its files, classes and where copies live. */
export interface KnownDataset {
  /** Short name, as given to `loadDataset` ('fashion-mnist'). */
  readonly name: string;
  /** Display name ('Fashion-MNIST'). */
  readonly title: string;
  /** File format: 'idx' (MNIST family) or 'cifar' (CIFAR-10 binary batches). */
  readonly format: DatasetFormat;
  /**
   * Official parts and their files. IDX: [images, labels] (gzipped names; plain copies are
   * accepted too). CIFAR-10: the batch files of the part, in order.
   */
  readonly parts: Readonly<Record<string, readonly string[]>>;
  /** Class names by label: classes[0] is the name of label 0. */
  readonly classes: readonly string[];
  /** Examples per file where the format fixes it (CIFAR-10: 10,000 per batch file). */
  readonly recordsPerFile?: number;
  /** Folders where operating-system packages put a copy. */
  readonly systemDirs: readonly string[];
  /** Where a person can read about the data and download it by hand. */
  readonly homepage: string;
  /** Where the official files come from and their checksums. */
  readonly download: DownloadSpec;
}

const mnistParts = {
  train: ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'],
  test: ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'],
} as const;

/**
 * The datasets tunelab knows by name: 'fashion-mnist', 'mnist', 'cifar10'.
 * `KNOWN_DATASETS['fashion-mnist'].classes[0]` is 'T-shirt/top'.
 */
export const KNOWN_DATASETS: Readonly<Record<string, KnownDataset>> = {
  'fashion-mnist': {
    name: 'fashion-mnist',
    title: 'Fashion-MNIST',
    format: 'idx',
    parts: mnistParts,
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
    download: {
      kind: 'files',
      baseUrls: [
        'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
        'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
      ],
      // From the Fashion-MNIST README (and torchvision's FashionMNIST.resources).
      md5: {
        'train-images-idx3-ubyte.gz': '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
        'train-labels-idx1-ubyte.gz': '25c81989df183df01b3e8a0aad5dffbe',
        't10k-images-idx3-ubyte.gz': 'bef4ecab320f06d8554ea6380940ec79',
        't10k-labels-idx1-ubyte.gz': 'bb300cfdad3c16e7a12a480ee83cd310',
      },
    },
  },
  mnist: {
    name: 'mnist',
    title: 'MNIST',
    format: 'idx',
    parts: mnistParts,
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    systemDirs: ['/usr/share/datasets/mnist'],
    homepage: 'http://yann.lecun.com/exdb/mnist/',
    download: {
      kind: 'files',
      // yann.lecun.com often refuses downloads; PyTorch's mirror serves the same files.
      baseUrls: [
        'https://ossci-datasets.s3.amazonaws.com/mnist/',
        'http://yann.lecun.com/exdb/mnist/',
      ],
      md5: {
        'train-images-idx3-ubyte.gz': 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
        'train-labels-idx1-ubyte.gz': 'd53e105ee54ea40749a09fcbcd1e9432',
        't10k-images-idx3-ubyte.gz': '9fb629c4189551a2d022fa330f9573f3',
        't10k-labels-idx1-ubyte.gz': 'ec29112dd5afa0611ce80d1b7f02629c',
      },
    },
  },
  cifar10: {
    name: 'cifar10',
    title: 'CIFAR-10',
    format: 'cifar10',
    parts: {
      train: [
        'data_batch_1.bin',
        'data_batch_2.bin',
        'data_batch_3.bin',
        'data_batch_4.bin',
        'data_batch_5.bin',
      ],
      test: ['test_batch.bin'],
    },
    classes: [
      'airplane',
      'automobile',
      'bird',
      'cat',
      'deer',
      'dog',
      'frog',
      'horse',
      'ship',
      'truck',
    ],
    recordsPerFile: 10_000,
    systemDirs: ['/usr/share/datasets/cifar10', '/usr/share/datasets/cifar-10'],
    homepage: 'https://www.cs.toronto.edu/~kriz/cifar.html',
    download: {
      kind: 'archive',
      urls: ['https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz'],
      file: 'cifar-10-binary.tar.gz',
      // From the CIFAR page ("CIFAR-10 binary version (suitable for C programs)").
      md5: 'c32a1d4ab5d03f1284b67883e8d87530',
      bytes: 170_052_171,
      folder: 'cifar-10-batches-bin',
    },
  },
};

/**
 * The known dataset called `name`, or an error listing the known names.
 * `knownDataset('mnist').title` is 'MNIST'; `knownDataset('mnits')` throws, listing the known
 * names.
 */
export function knownDataset(name: string): KnownDataset {
  const found = KNOWN_DATASETS[name];
  if (!found) {
    throw new DataError(
      `Unknown dataset "${name}": expected one of ${Object.keys(KNOWN_DATASETS).join(', ')}, or a path to a dataset folder or CSV file`,
    );
  }
  return found;
}
