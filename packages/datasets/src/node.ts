/**
 * @tunelab/datasets/node: finding, downloading and reading dataset files on disk.
 * @packageDocumentation
 */
export {
  DownloadError,
  type DownloadOptions,
  type DownloadProgress,
  downloadFile,
  type FetchDatasetOptions,
  type FetchResult,
  fetchDataset,
  md5File,
} from './node/download.js';
export {
  type LoadedDataset,
  loadDataset,
  type OpenOptions,
  openDataset,
  readIdxFile,
} from './node/load.js';
export {
  cachedDatasetDir,
  DATA_DIR_ENV_VAR,
  type DataSource,
  DatasetNotFoundError,
  dataCacheDir,
  type LocatedDataset,
  type LocateOptions,
  locateDataset,
  requiredFiles,
} from './node/locate.js';
