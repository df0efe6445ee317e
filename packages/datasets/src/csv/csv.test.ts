import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { parseCsv } from './csv.js';

describe('CSV datasets', () => {
  it('reads numeric features and integer class ids from the named column', () => {
    const csv = parseCsv('height,weight,label\n1.5,60,0\n1.8,80,2\r\n"1.6",55,1\n', 'people.csv');
    expect(csv.features).toEqual(['height', 'weight']);
    expect(csv.classes).toEqual(['0', '1', '2']);
    expect(csv.dataset.size).toBe(3);
    expect(csv.dataset.inputShape).toEqual([2]);
    expect(Array.from(csv.dataset.labels())).toEqual([0, 2, 1]);
    expect(Array.from(csv.dataset.rawExamples().x)).toEqual(
      Array.from(Float32Array.of(1.5, 60, 1.8, 80, 1.6, 55)),
    );
  });

  it('numbers string labels in sorted order, with the label column anywhere', () => {
    const csv = parseCsv(
      'species,petal\nvirginica,5.1\nsetosa,1.4\nversicolor,4.5\nsetosa,1.3\n',
      'iris.csv',
      { label: 'species' },
    );
    expect(csv.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(csv.dataset.labels())).toEqual([2, 0, 1, 0]);
    expect(csv.dataset.classCounts()).toEqual([2, 1, 1]);
  });

  it('names the file, line and column of bad input', () => {
    expect(() => parseCsv('a,b\n1,2\n', 'x.csv')).toThrow(
      'x.csv: no column named "label" (columns: a, b); choose the label column with --label',
    );
    expect(() => parseCsv('a,label\n1,0\nseven,1\n', 'x.csv')).toThrow(
      'x.csv: line 3, column "a": expected a decimal number, got "seven"',
    );
    expect(() => parseCsv('a,b,label\n1,2,0\n3,1\n', 'x.csv')).toThrow(
      'x.csv: line 3: 2 fields, the header has 3',
    );
    expect(() => parseCsv('a,label\n', 'x.csv')).toThrow(
      'x.csv: expected a header line and at least one data line',
    );
  });

  it('refuses what Number() would quietly accept: hex, binary, Infinity, empty cells and labels, duplicate columns', () => {
    const cases: Array<[string, string]> = [
      [
        'a,label\n1,0\n0x10,1\n',
        'x.csv: line 3, column "a": expected a decimal number, got "0x10"',
      ],
      ['a,label\n0b101,0\n', 'x.csv: line 2, column "a": expected a decimal number, got "0b101"'],
      [
        'a,label\nInfinity,0\n',
        'x.csv: line 2, column "a": expected a decimal number, got "Infinity"',
      ],
      ['a,label\n,0\n', 'x.csv: line 2, column "a": expected a decimal number, got ""'],
      [
        'a,label\n1,cat\n2,\n',
        'x.csv: line 3, column "label": empty label, expected a class name or id',
      ],
      ['a,b,a,label\n1,2,3,0\n', 'x.csv: line 1: column name "a" appears twice (columns 1 and 3)'],
      ['a,,label\n1,2,0\n', 'x.csv: line 1, column 2: empty column name'],
    ];
    for (const [text, message] of cases) {
      expect(() => parseCsv(text, 'x.csv')).toThrow(message);
      expect(() => parseCsv(text, 'x.csv')).toThrow(DataError);
    }
    // Plain decimals in every spelling still read as numbers.
    const ok = parseCsv('a,label\n-1.5,0\n.5,1\n1e-3,0\n+2.,1\n', 'x.csv');
    expect(Array.from(ok.dataset.rawExamples().x)).toEqual(
      Array.from(Float32Array.of(-1.5, 0.5, 0.001, 2)),
    );
  });
});
