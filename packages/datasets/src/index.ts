/**
 * @tunelab/datasets: load, split, batch and augment datasets (browser-safe part).
 * @packageDocumentation
 */
export {
  CIFAR_RECORD_BYTES,
  type CifarBatch,
  type CifarParseOptions,
  encodeCifarBatch,
  parseCifarBatch,
} from './cifar/cifar.js';
export { type CsvDataset, type CsvOptions, parseCsv } from './csv/csv.js';
export { DataError } from './errors.js';
export { encodeIdx, type IdxArray, type IdxDtype, IdxFormatError, parseIdx } from './idx/idx.js';
export { concatDatasets, type MnistPartSource, mnistPart } from './idx/mnist.js';
export {
  type DatasetFormat,
  type DownloadSpec,
  KNOWN_DATASETS,
  type KnownDataset,
  knownDataset,
} from './registry.js';
export { type DataConfig, type DataConfigInput, dataSchema } from './schema.js';
export {
  evaluationSubset,
  type Fold,
  fingerprintParts,
  kFold,
  leaveOneOut,
  type Split,
  type SplitOptions,
  splitByCounts,
  splitByRatios,
  splitPart,
} from './split/split.js';
export { type ChannelStats, channelStats, normalize } from './transforms/normalize.js';
export { type RandomCropArgs, randomCrop } from './transforms/random-crop.js';
export { type RandomFlipArgs, randomFlip } from './transforms/random-flip.js';
export { compose, greyToRgb, oneHot, pad, resize } from './transforms/reshape.js';
