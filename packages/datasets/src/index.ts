/**
 * @tunelab/datasets: load, split and batch datasets (browser-safe part).
 * @packageDocumentation
 */
export { encodeIdx, type IdxArray, type IdxDtype, IdxFormatError, parseIdx } from './idx/idx.js';
export { concatDatasets, type MnistPartSource, mnistPart } from './idx/mnist.js';
export { type IdxPartFiles, KNOWN_DATASETS, type KnownDataset, knownDataset } from './registry.js';
export {
  fingerprintParts,
  type Split,
  type SplitOptions,
  splitByRatios,
  splitPart,
} from './split/split.js';
