import { packageTests } from '../../config/build.js';

// The end-to-end tests train on real data through the built command.
export default packageTests({ testTimeout: 180_000, hookTimeout: 180_000 });
