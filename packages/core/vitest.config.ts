import { packageTests } from '../../config/build.js';

export default packageTests({
  // The gradient registrations are ESM files without a package "type"; let Vite transform them.
  server: { deps: { inline: [/@tensorflow\/tfjs-core\/dist\/(?!tf-core)/] } },
});
