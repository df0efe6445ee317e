import { type DistanceName, distanceFunction, type Vector } from '../vectors/distance.js';

/** Options of {@link knn}. */
export interface KnnOptions {
  /** 'euclidean' (default) or 'cosine' (1 - cosine similarity). */
  distance?: DistanceName;
}

/** One row of a distance table: a reference point and its distance to the query. */
export interface Neighbour<L> {
  /** 1-based position in the table (1 = nearest). */
  readonly rank: number;
  /** Position of the point in the reference set given to {@link knn}. */
  readonly index: number;
  /** The reference point's label. */
  readonly label: L;
  /** Distance from the query (Euclidean, or 1 - cosine similarity). */
  readonly distance: number;
}

/** The vote count of one label among the K nearest neighbours. */
export interface Vote<L> {
  /** The label voted for. */
  readonly label: L;
  /** How many of the K nearest neighbours carry it. */
  readonly count: number;
  /** Rank of this label's nearest neighbour: breaks ties between equal counts. */
  readonly nearestRank: number;
}

/** What {@link Knn.predict} returns. */
export interface KnnPrediction<L> {
  /** The winning label. */
  readonly label: L;
  /** The K asked for. */
  readonly k: number;
  /** The K nearest neighbours, nearest first. */
  readonly neighbours: readonly Neighbour<L>[];
  /** Votes per label, the winner first (more votes first; equal counts: nearest member first). */
  readonly votes: readonly Vote<L>[];
  /** True when another label had as many votes as the winner (the tie rule decided). */
  readonly tie: boolean;
}

/** A k-nearest-neighbour classifier over a fixed reference set (see {@link knn}). */
export interface Knn<L> {
  /** Number of reference points. */
  readonly size: number;
  /** The distance the model ranks by. */
  readonly distance: DistanceName;
  /** Every reference point with its distance to `query`, nearest first (ties: lower index first). */
  table(query: Vector): Neighbour<L>[];
  /** The majority label of the `k` nearest reference points (k in 1..size). */
  predict(query: Vector, k: number): KnnPrediction<L>;
}

/**
 * k-nearest neighbours: a query gets the label most common among the k reference points
 * closest to it. Nothing is trained; the reference set is the model.
 *
 * Tie-breaking, so every K gives one answer:
 * - equal distances: the point given earlier (lower index) counts as nearer, so "the K
 *   nearest" is always a definite set;
 * - equal vote counts: the label whose nearest member is nearest wins (equivalently, the tied
 *   label that appears first in {@link Knn.table}).
 *
 * Example, the 1-D points 0 (label 'a'), 1 ('b'), 3 ('b') and the query 0.4: distances 0.4,
 * 0.6, 2.6, so K = 1 says 'a' and K = 3 says 'b' (two votes to one).
 * ```ts
 * const model = knn([[0], [1], [3]], ['a', 'b', 'b']);
 * model.predict([0.4], 1).label; // 'a'
 * model.predict([0.4], 3).label; // 'b'
 * ```
 * Paper: Cover & Hart 1967, "Nearest neighbor pattern classification",
 * https://doi.org/10.1109/TIT.1967.1053964
 *
 * @param points reference points, all of one length
 * @param labels the label of each reference point (numbers or strings)
 * @param options the distance: 'euclidean' (default) or 'cosine'
 */
export function knn<L>(
  points: readonly Vector[],
  labels: readonly L[],
  options: KnnOptions = {},
): Knn<L> {
  if (points.length === 0) throw new Error('knn: needs at least one reference point, got 0');
  if (labels.length !== points.length) {
    throw new Error(`knn: ${points.length} points but ${labels.length} labels; expected one each`);
  }
  const dims = points[0]!.length;
  for (const [i, p] of points.entries()) {
    if (p.length !== dims) {
      throw new Error(`knn: point ${i} has ${p.length} values, expected ${dims} like point 0`);
    }
  }
  const distanceName = options.distance ?? 'euclidean';
  const distanceOf = distanceFunction(distanceName);

  const table = (query: Vector): Neighbour<L>[] => {
    if (query.length !== dims) {
      throw new Error(`knn: query has ${query.length} values, expected ${dims}`);
    }
    return points
      .map((p, index) => ({ index, distance: distanceOf(query, p) }))
      .sort((a, b) => a.distance - b.distance || a.index - b.index)
      .map((row, i) => ({
        rank: i + 1,
        index: row.index,
        label: labels[row.index]!,
        distance: row.distance,
      }));
  };

  return {
    size: points.length,
    distance: distanceName,
    table,
    predict(query, k) {
      if (!Number.isInteger(k) || k < 1 || k > points.length) {
        throw new Error(`knn: k must be an integer in [1, ${points.length}], got ${k}`);
      }
      const neighbours = table(query).slice(0, k);
      const votes = countVotes(neighbours);
      const winner = votes[0]!;
      return {
        label: winner.label,
        k,
        neighbours,
        votes,
        tie: votes.length > 1 && votes[1]!.count === winner.count,
      };
    },
  };
}

/** Votes per label, most first; equal counts ordered by the rank of the label's nearest member. */
function countVotes<L>(neighbours: readonly Neighbour<L>[]): Vote<L>[] {
  const byLabel = new Map<L, { count: number; nearestRank: number }>();
  for (const n of neighbours) {
    const vote = byLabel.get(n.label);
    if (vote) vote.count++;
    else byLabel.set(n.label, { count: 1, nearestRank: n.rank });
  }
  return [...byLabel.entries()]
    .map(([label, v]) => ({ label, ...v }))
    .sort((a, b) => b.count - a.count || a.nearestRank - b.nearestRank);
}
