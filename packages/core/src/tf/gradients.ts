// Registers tfjs-core's gradient functions (its main entry ships the kernels' forward ops only).
// tfjs ships them as loose ESM files for bundlers, which Node cannot load: the build inlines
// them, rewritten onto tfjs-core's public entry (config/tfjs-public-api.ts), so they register
// into the user's one tfjs-core.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { registerReluGradient } from '../kernels/relu-grad.js';

// Relu's gradient in one kernel where the backend has it (same values as tfjs's).
registerReluGradient();

/**
 * True once tfjs-core's gradient functions are registered; referencing it keeps the import.
 * `if (!gradientsRegistered) throw ...` (fit and Parameter do this) keeps this module in a
 * bundle. It is read from tfjs's registry, not a literal `true`: a bundler folds a constant,
 * drops the check and with it this module (the packages declare no side effects).
 */
export const gradientsRegistered: boolean =
  tf.getGradient(tf.Conv2D) !== undefined && tf.getGradient(tf.Relu) !== undefined;
