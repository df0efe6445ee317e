import { describe, expect, it } from 'vitest';
import { formatPath, getPath, parsePath, setPath } from './paths.js';

describe('experiment paths', () => {
  it('parse keys and list indices, and write them back', () => {
    expect(parsePath('model.layers[0].conv2d.filters')).toEqual([
      'model',
      'layers',
      0,
      'conv2d',
      'filters',
    ]);
    expect(parsePath('optimizer.lr')).toEqual(['optimizer', 'lr']);
    expect(parsePath('grid[2][1]')).toEqual(['grid', 2, 1]);
    expect(formatPath(['model', 'layers', 3, 'maxPool'])).toBe('model.layers[3].maxPool');
    for (const bad of ['', 'a..b', '[0].a', 'a.', 'a[x]', 'a[1'])
      expect(() => parsePath(bad)).toThrow(`"${bad}" is not a path`);
  });

  it('set a value in a copy, leaving the original alone', () => {
    const base = { model: { layers: [{ conv2d: { filters: 8, kernel: 3 } }, { maxPool: 2 }] } };
    const changed = setPath(base, 'model.layers[0].conv2d.filters', 32);
    expect(changed.model.layers[0]).toEqual({ conv2d: { filters: 32, kernel: 3 } });
    expect(base.model.layers[0]).toEqual({ conv2d: { filters: 8, kernel: 3 } });
    // The untouched entry is shared, the path is copied.
    expect(changed.model.layers[1]).toBe(base.model.layers[1]);
    expect(setPath(base, 'model.layers[1]', null).model.layers).toEqual([
      { conv2d: { filters: 8, kernel: 3 } },
      null,
    ]);
    expect(setPath({}, 'optimizer.lr', 0.1)).toEqual({ optimizer: { lr: 0.1 } });
    expect(getPath(changed, 'model.layers[0].conv2d.kernel')).toBe(3);
    expect(getPath(changed, 'model.layers[5].conv2d')).toBeUndefined();
  });

  it('refuses an index past the end of a list and a key into a number', () => {
    const base = { model: { layers: [{ flatten: {} }, { dense: 10 }] } };
    expect(() => setPath(base, 'model.layers[2].dense', 5)).toThrow(
      'model.layers[2]: the list has 2 entries',
    );
    expect(() => setPath(base, 'model[0]', 5)).toThrow('model[0]: model is not a list');
    expect(() => setPath({ epochs: 3 }, 'epochs.max', 5)).toThrow(
      'epochs.max: epochs is not an object',
    );
  });
});
