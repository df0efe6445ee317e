/**
 * @tunelab/classic: the small classic tools students need next to neural networks, as exact
 * computations on plain number arrays: k-nearest neighbours, logistic regression, polynomial
 * least squares with leave-one-out error, cosine-similarity pseudolabels and the
 * bias/variance simulation (with its chart).
 * @packageDocumentation
 */

export {
  type BiasVarianceCurves,
  type BiasVarianceOptions,
  type BiasVariancePoint,
  biasVarianceCurves,
  type ComplexityFit,
  polynomialModel,
} from './bias-variance/simulate.js';
export {
  BIAS_VARIANCE_CURVES,
  type BiasVarianceCurveStyle,
  type BiasVarianceSpecOptions,
  biasVarianceSpec,
  type VegaLiteSpec,
} from './bias-variance/spec.js';
export {
  type Knn,
  type KnnOptions,
  type KnnPrediction,
  knn,
  type Neighbour,
  type Vote,
} from './knn/knn.js';
export { leastSquares } from './linalg/least-squares.js';
export { type Matrix, solveLinear } from './linalg/solve.js';
export {
  fitLogisticRegression,
  type LogisticFit,
  type LogisticFitOptions,
  logisticLoss,
} from './logistic/fit.js';
export {
  logisticLogOdds,
  logisticProbability,
  logisticSolveFor,
  logit,
  sigmoid,
} from './logistic/probability.js';
export { type PolynomialLoocvRow, polynomialLoocv } from './polynomial/loocv.js';
export {
  polynomialFeatures,
  polynomialFit,
  polynomialValue,
} from './polynomial/polynomial.js';
export {
  type CosineMatch,
  type CosineNearest,
  cosineNearest,
  type LabelledVector,
} from './pseudolabels/cosine-nearest.js';
export {
  cosineDistance,
  cosineSimilarity,
  type DistanceName,
  dot,
  euclideanDistance,
  norm,
  type Vector,
} from './vectors/distance.js';
