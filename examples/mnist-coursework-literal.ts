/**
 * The MNIST coursework of examples/mnist-coursework.ts as the assignment literally runs it:
 * the held-out set evaluated during training is the TEST split (evaluation.heldOut 'test'),
 * and the best trial is chosen on it (sweep.metric 'testAccuracy'). Both are explicit opt-ins:
 * every run record says heldOut 'test', every report says that test was looked at during
 * training, and `tunelab eval --split test` on such a run says so too. Its test numbers are
 * then no unbiased estimate of accuracy on new data: use it to reproduce the handout, and
 * examples/mnist-coursework.ts (validation) to learn the right way.
 *
 *   tunelab sweep examples/mnist-coursework-literal.ts
 */
import { defineExperiment } from 'tunelab';
import coursework from './mnist-coursework.js';

export default defineExperiment({
  ...coursework,
  name: `${coursework.name}-literal`,
  evaluation: { ...coursework.evaluation, heldOut: 'test' },
  sweep: { ...coursework.sweep, metric: 'testAccuracy' },
});
