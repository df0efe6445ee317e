import { packageTests } from '../config/build.js';

// The registry test publishes, installs and trains: minutes, not seconds.
export default packageTests({ testTimeout: 600_000, hookTimeout: 600_000 });
