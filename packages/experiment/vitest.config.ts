import { packageTests } from '../../config/build.js';

export default packageTests();
