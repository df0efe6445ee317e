/**
 * @tunelab/layers/spec: the zod schema of a layer list (every layer of @tunelab/layers written
 * as `{ <kind>: options }`) and of zoo names, for experiment files and their JSON Schema. A
 * subpath of its own, so that importing layers does not load zod.
 * @packageDocumentation
 */
export {
  type LayerKind,
  type LayerSpec,
  layerKindNames,
  layerKinds,
  layerListSchema,
  layerSpecSchema,
  zooNameSchema,
} from './schema.js';
