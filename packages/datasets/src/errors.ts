/**
 * The data cannot be used as asked: a file of a dataset is missing, malformed or inconsistent,
 * or a name is unknown. The message names the file (and row, column, byte or record) and what
 * was expected. The CLI exits with code 2 for it (bad input), not 1 (a failure while working).
 * `parseCsv('x,label\n0x10,a\n', 'p.csv')` throws a DataError naming line 2, column "x" and "0x10".
 */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}
