import { describe, expect, it } from 'vitest';
import { axisWindows, pair } from './padding.js';

describe('axisWindows (TensorFlow SAME/VALID rule)', () => {
  it("gives 'same' output ceil(in / stride) with the odd padding after", () => {
    // in 5, k 3, s 1: total padding 2, one on each side
    expect(axisWindows(5, 3, 1, 1, 'same')).toEqual({ out: 5, padBefore: 1 });
    // in 4, k 3, s 2: out 2, total (2-1)*2 + 3 - 4 = 1, all of it after
    expect(axisWindows(4, 3, 2, 1, 'same')).toEqual({ out: 2, padBefore: 0 });
    // in 5, k 3, s 2: out 3, total 2*2 + 3 - 5 = 2, one before
    expect(axisWindows(5, 3, 2, 1, 'same')).toEqual({ out: 3, padBefore: 1 });
    // in 6, k 5, s 1: total 4, two before
    expect(axisWindows(6, 5, 1, 1, 'same')).toEqual({ out: 6, padBefore: 2 });
    // dilation 2 makes a 3-tap kernel span 5: total 4, two before
    expect(axisWindows(7, 3, 1, 2, 'same')).toEqual({ out: 7, padBefore: 2 });
    // stride larger than the kernel: no padding needed
    expect(axisWindows(6, 1, 2, 1, 'same')).toEqual({ out: 3, padBefore: 0 });
  });

  it("gives 'valid' output floor((in - k') / stride) + 1 and no padding", () => {
    expect(axisWindows(9, 5, 2, 1, 'valid')).toEqual({ out: 3, padBefore: 0 });
    expect(axisWindows(28, 5, 1, 1, 'valid')).toEqual({ out: 24, padBefore: 0 });
    expect(axisWindows(7, 3, 1, 2, 'valid')).toEqual({ out: 3, padBefore: 0 });
  });

  it('explains a kernel larger than the input and bad sizes', () => {
    expect(() => axisWindows(4, 3, 1, 2, 'valid')).toThrow(
      "'valid' padding: the (dilated) kernel spans 5 positions but the input has 4",
    );
    expect(() => pair(0, 'conv2d strides')).toThrow(
      'conv2d strides must be positive integers, got 0',
    );
    expect(pair([2, 1], 'strides')).toEqual([2, 1]);
  });
});
