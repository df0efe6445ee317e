import { expect, it } from 'vitest';
import { run } from './model-summaries.js';

it('model summaries: the published counts', async () => {
  const r = await run({ reduced: true, log: () => {} });
  // LeNet-5: 156 + 12 + 1,516 + 32 + 48,120 + 10,164 + 850 = 60,850 parameters.
  expect(r.lenet5.params).toBe(60_850);
  // C3 reads 60 of the 96 (S2 map, C3 map) pairs: 60 * 25 + 16 biases = 1,516 parameters,
  // and 10 * 10 output units * 1,516 = 151,600 connections.
  expect(r.lenetC3).toEqual({ params: 1_516, connections: 151_600 });
  // The paper's 340,908 connections, plus 10 for our output layer's biases.
  expect(r.lenet5.connections).toBe(340_918);
  // VGG-16 (configuration D) on 224x224x3: 138,357,544 parameters, 15.47 G MACs.
  expect(r.vgg16.params).toBe(138_357_544);
  expect(r.vgg16.macs).toBe(15_470_264_320);
  // 13 stacked 3x3 convolutions and 4 pools: the last convolution sees 196x196 pixels.
  expect(r.vggLastConvField).toEqual([196, 196]);
  // CIFAR ResNet-18 with 10 classes.
  expect(r.resnet18.params).toBe(11_173_962);
});
