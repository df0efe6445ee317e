/**
 * The classic tools (USECASES section 6), from @tunelab/classic.
 *
 * 1. k-nearest neighbours: the distance table of a query, K = 1 and K = 3 votes, with the
 *    Euclidean and the cosine distance.
 * 2. Logistic regression: the probability for an input, the input needed for a target
 *    probability, and a fit (Newton / IRLS and gradient descent).
 * 3. Polynomial least squares with leave-one-out cross-validation error per degree.
 * 4. Cosine-similarity pseudolabels for unlabelled Fashion-MNIST images from labelled ones.
 * 5. Bias/variance simulation: squared bias, variance, training, test and irreducible error
 *    per polynomial degree, and the chart (examples/output/classic-tools/bias-variance.png).
 *
 *   node --import jiti/register examples/classic-tools.ts          # 200 references, 100 repetitions
 *   node --import jiti/register examples/classic-tools.ts --full   # 5,000 references, 1,000 repetitions
 */
import {
  biasVarianceCurves,
  biasVarianceSpec,
  cosineNearest,
  fitLogisticRegression,
  knn,
  logisticProbability,
  logisticSolveFor,
  polynomialLoocv,
} from '@tunelab/classic';
import { Rng } from '@tunelab/core';
import { logger, type RunOptions, runWhenMain } from './lib/cli.js';
import { fashionSplit } from './lib/fashion.js';
import { outputDir, writeChart } from './lib/output.js';

export async function run(options: RunOptions) {
  const log = logger(options);

  // 1. kNN. Reference points and the query q = (1, 0.5):
  //   A (1, 0) 'a': Euclidean 0.5;  B (1, 1) 'b': 0.5;  C (0, 2) 'b': sqrt(1 + 2.25) = 1.8028.
  // A and B tie; the earlier point (A) ranks first, so K = 1 says 'a', K = 3 says 'b' (2 to 1).
  // Cosine similarity: A 1 / sqrt(1.25) = 0.8944, B 1.5 / sqrt(2.5) = 0.9487, C 0.4472:
  // by direction B is nearest, and K = 1 says 'b'.
  const points = [
    [1, 0],
    [1, 1],
    [0, 2],
  ];
  const labels = ['a', 'b', 'b'];
  const q = [1, 0.5];
  const euclidean = knn(points, labels);
  const cosine = knn(points, labels, { distance: 'cosine' });
  const table = euclidean
    .table(q)
    .map((r) => ({ point: 'ABC'[r.index]!, label: r.label, distance: r.distance }));
  const cosineTable = cosine
    .table(q)
    .map((r) => ({ point: 'ABC'[r.index]!, label: r.label, distance: r.distance }));
  for (const [name, rows] of [
    ['Euclidean', table],
    ['cosine', cosineTable],
  ] as const) {
    log(
      `${name} distances from (1, 0.5): ${rows.map((r) => `${r.point} ${r.label} ${r.distance.toFixed(4)}`).join(' | ')}`,
    );
  }
  const votes = {
    euclidean: { k1: euclidean.predict(q, 1).label, k3: euclidean.predict(q, 3).label },
    cosine: { k1: cosine.predict(q, 1).label, k3: cosine.predict(q, 3).label },
  };
  log(
    `votes: Euclidean K=1 ${votes.euclidean.k1}, K=3 ${votes.euclidean.k3}; cosine K=1 ${votes.cosine.k1}, K=3 ${votes.cosine.k3}`,
  );

  // 2. Logistic regression with coefficients [b0, b_hours, b_gpa] = [-6, 0.05, 1]: a student
  // with 40 hours and GPA 3.5 has z = -6 + 2 + 3.5 = -0.5 and p = 1 / (1 + e^0.5) = 0.3775;
  // a 50% chance needs (0 + 6 - 3.5) / 0.05 = 50 hours.
  const coefficients = [-6, 0.05, 1];
  const probability = logisticProbability(coefficients, [40, 3.5]);
  const hoursFor50 = logisticSolveFor(coefficients, [0, 3.5], 0, 0.5);
  log(`P(A | 40 h, GPA 3.5) = ${probability.toFixed(4)}; 50% needs ${hoursFor50.toFixed(1)} hours`);
  // Fitting: one binary input has a closed form, b0 = logit(1/4), b1 = logit(3/4) - b0.
  const xs = [[0], [0], [0], [0], [1], [1], [1], [1]];
  const ys = [0, 0, 0, 1, 0, 1, 1, 1];
  const newton = fitLogisticRegression(xs, ys);
  const descent = fitLogisticRegression(xs, ys, { method: 'gradient-descent', lr: 1 });
  log(
    `fit: Newton [${newton.coefficients.map((c) => c.toFixed(4))}] in ${newton.iterations} iterations, gradient descent [${descent.coefficients.map((c) => c.toFixed(4))}] in ${descent.iterations}`,
  );

  // 3. LOOCV per degree. By hand, the line through (0, 0), (1, 1), (2, 3): leaving out each
  // point, the line through the other two misses it by 1, 0.5, 1: (1 + 0.25 + 1) / 3 = 0.75.
  const lineLoocv = polynomialLoocv([0, 1, 2], [0, 1, 3], [1])[0]!.loocvError;
  log(`LOOCV error of a line through (0,0), (1,1), (2,3): ${lineLoocv}`);
  // Noisy samples of 1 - 2x^2 + x^3: the LOOCV error picks the degree, the training error cannot.
  const noise = Rng.fromSeed(5);
  const px = Array.from({ length: 25 }, (_, i) => -1 + (2 * i) / 24);
  const py = px.map((x) => 1 - 2 * x * x + x ** 3 + noise.normal(0, 0.15));
  const degrees = [0, 1, 2, 3, 4, 6, 8, 10];
  const loocv = polynomialLoocv(px, py, degrees);
  for (const row of loocv) {
    log(
      `  degree ${String(row.degree).padStart(2)}: training error ${row.trainingError.toFixed(4)}, LOOCV error ${row.loocvError.toFixed(4)}`,
    );
  }
  const bestDegree = loocv.reduce((a, b) => (b.loocvError < a.loocvError ? b : a)).degree;
  log(`degree with the lowest LOOCV error: ${bestDegree}`);

  // 4. Pseudolabels: each unlabelled image gets the majority label of its 5 most
  // cosine-similar labelled images (raw pixels as the vectors).
  const data = fashionSplit({
    limit: options.reduced ? { train: 200, eval: 100 } : { train: 5_000, eval: 1_000 },
  });
  const vectors = (dataset: typeof data.train) => {
    const { x } = dataset.rawExamples();
    return Array.from({ length: dataset.size }, (_, i) => x.subarray(i * 784, (i + 1) * 784));
  };
  const references = vectors(data.train).map((vector, i) => ({
    vector,
    label: data.train.label(i),
  }));
  const unlabelled = vectors(data.validation);
  // The same thing seen as kNN: K = 5 with the cosine distance 1 - cos gives the same label
  // for every image (the same ranking, the same tie rules).
  const cosineKnn = knn(
    references.map((r) => r.vector),
    references.map((r) => r.label),
    { distance: 'cosine' },
  );
  let correct = 0;
  let sameAsKnn = 0;
  unlabelled.forEach((vector, i) => {
    const pseudolabel = cosineNearest(vector, references, 5).pseudolabel;
    if (pseudolabel === data.validation.label(i)) correct++;
    if (pseudolabel === cosineKnn.predict(vector, 5).label) sameAsKnn++;
  });
  const pseudolabelAccuracy = correct / unlabelled.length;
  log(
    `pseudolabels from ${references.length} labelled images: ${(pseudolabelAccuracy * 100).toFixed(1)}% right on ${unlabelled.length}; cosine kNN (K = 5) agrees on ${sameAsKnn}`,
  );

  // 5. Bias and variance of polynomial fits to sin(2 pi x) + N(0, 0.3^2), 30 points per set,
  // measured at the midpoints of 100 equal cells of [0, 1]. What to expect, by hand:
  //   - irreducible error sigma^2 = 0.09 at every degree;
  //   - degree 0 (a constant, the mean of 30 y's): the mean of sin^2 over the grid is 1/2, so
  //     bias^2 = 0.5, and variance = Var(y) / 30 = (1/2 + 0.09) / 30 = 0.0197;
  //   - degree 1: the best line has slope Cov(x, sin 2 pi x) / Var(x) = (-1 / (2 pi)) / (1/12)
  //     and misses by bias^2 = 1/2 - slope^2 / 12 = 1/2 - 3 / pi^2 = 0.196; degree 2 no better
  //     (x^2 is symmetric about x = 1/2, the sine antisymmetric, so the x^2 term cannot help);
  //   - test error = bias^2 + variance + sigma^2, up to sampling error;
  //   - once the bias is gone, training error = sigma^2 (n - p) / n with p = degree + 1
  //     coefficients: 0.09 * 24 / 30 = 0.072 at degree 5, below sigma^2 (the fit follows noise).
  const curves = biasVarianceCurves({
    truth: (x) => Math.sin(2 * Math.PI * x),
    noise: 0.3,
    complexities: [0, 1, 2, 3, 4, 5, 6, 7, 8],
    trainSize: 30,
    testInputs: Array.from({ length: 100 }, (_, i) => (i + 0.5) / 100),
    repetitions: options.reduced ? 100 : 1_000,
    seed: 1,
  });
  for (const p of curves.points) {
    log(
      `  degree ${p.complexity}: bias^2 ${p.bias2.toFixed(4)}, variance ${p.variance.toFixed(4)}, noise ${p.irreducible.toFixed(2)}, train ${p.trainError.toFixed(4)}, test ${p.testError.toFixed(4)}`,
    );
  }
  const chart = await writeChart(
    outputDir('classic-tools'),
    'bias-variance',
    biasVarianceSpec(curves, {
      title: 'Polynomial fits to sin(2 pi x) + noise',
      complexityName: 'polynomial degree',
      logScale: true,
    }),
  );
  log(`chart: ${chart.png}`);

  return {
    table,
    cosineTable,
    votes,
    probability,
    hoursFor50,
    newton: newton.coefficients,
    descent: descent.coefficients,
    lineLoocv,
    loocv: loocv.map(({ degree, trainingError, loocvError }) => ({
      degree,
      trainingError,
      loocvError,
    })),
    bestDegree,
    pseudolabelAccuracy,
    pseudolabelled: unlabelled.length,
    sameAsKnn,
    curves,
    chart,
  };
}

runWhenMain(import.meta.url, run);
