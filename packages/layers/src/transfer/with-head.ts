import type * as tf from '@tensorflow/tfjs-core';
import { Module } from '@tunelab/core';
import type { Composite, SummaryVisitor, Trace } from '../summary/describe.js';

/** Options of {@link withHead}. */
export interface WithHeadOptions {
  /** Freeze every backbone parameter. Default true (a frozen feature extractor). */
  freezeBackbone?: boolean;
}

/**
 * A backbone (feature extractor) followed by a new head: forward = head(backbone(x)). Parts
 * `backbone` and `head`, so parameter names read 'backbone.block1_conv1.weight',
 * 'head.1.weight'.
 *
 * While every backbone parameter is frozen the backbone stays in evaluation mode even when
 * the model trains: batch norm keeps its running statistics and dropout is off, so the
 * features do not drift. Unfreeze backbone layers to fine-tune and it follows train()/eval()
 * again.
 */
export class WithHead extends Module implements Composite {
  readonly type = 'WithHead';
  /** The feature extractor, applied first. */
  readonly backbone: Module;
  /** The new classifier, applied to the backbone's output. */
  readonly head: Module;

  constructor(backbone: Module, head: Module) {
    super();
    this.backbone = this.addModule('backbone', backbone);
    this.head = this.addModule('head', head);
  }

  override train(on = true): this {
    super.train(on);
    if (this.backbone.parameterCount('trainable') === 0) this.backbone.eval();
    return this;
  }

  forward(x: tf.Tensor): tf.Tensor {
    return this.head.forward(this.backbone.forward(x));
  }

  traceChildren(input: Trace, visit: SummaryVisitor): Trace {
    return visit.child('head', this.head, visit.child('backbone', this.backbone, input));
  }
}

/**
 * Puts `head` on top of `backbone` (e.g. VGG-16 with head: false under a new classifier),
 * freezing the backbone unless told otherwise, and returns the model in training mode.
 * ```ts
 * const features = vgg16({ head: false, seed: 1 });
 * // 224x224x3 in, [7, 7, 512] = 25,088 features out of the backbone
 * const head = new Sequential([new Flatten(), new Linear({ inputs: 25_088, outputs: 10, rng })]);
 * const model = withHead(features, head); // only the head trains
 * ```
 */
export function withHead(backbone: Module, head: Module, options: WithHeadOptions = {}): WithHead {
  if (options.freezeBackbone !== false) backbone.freeze();
  return new WithHead(backbone, head).train();
}
