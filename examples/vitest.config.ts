import { packageTests } from '../config/build.js';

// Each example's test runs it in reduced size (a few batches, small subsets) and asserts the
// numbers a person can check by hand.
export default packageTests({ include: ['*.test.ts'] });
