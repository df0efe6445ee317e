/**
 * @tunelab/datasets/node: finding and reading dataset files on disk.
 * @packageDocumentation
 */
export { type LoadedDataset, loadDataset, readIdxFile } from './node/load.js';
export {
  DATA_DIR_ENV_VAR,
  type DataSource,
  DatasetNotFoundError,
  dataCacheDir,
  type LocatedDataset,
  type LocateOptions,
  locateDataset,
} from './node/locate.js';
