import { cosineSimilarity, type Vector } from '../vectors/distance.js';

/** A labelled reference vector for {@link cosineNearest}. */
export interface LabelledVector<L> {
  /** The reference vector (e.g. an embedding or the raw pixels). */
  readonly vector: Vector;
  /** Its known label. */
  readonly label: L;
}

/** One ranked reference of {@link cosineNearest}. */
export interface CosineMatch<L> {
  /** 1-based rank, 1 = most similar. */
  readonly rank: number;
  /** Position in the references given. */
  readonly index: number;
  /** The reference's label. */
  readonly label: L;
  /** cos(query, reference) in [-1, 1]. */
  readonly similarity: number;
}

/** What {@link cosineNearest} returns. */
export interface CosineNearest<L> {
  /** The n most similar references, most similar first (ties: lower index first). */
  readonly nearest: readonly CosineMatch<L>[];
  /** Their labels, in the same order: the pseudolabel candidates. */
  readonly labels: readonly L[];
  /**
   * The pseudolabel: the most frequent of `labels`; on a tie, the tied label whose best
   * match ranks first.
   */
  readonly pseudolabel: L;
}

/**
 * Ranks labelled reference vectors by cosine similarity to a query and returns the labels of
 * the n most similar: a pseudolabel for unlabelled data (e.g. an embedding of an unlabelled
 * image compared with embeddings of labelled ones). Cosine similarity,
 * cos(q, r) = q . r / (||q|| ||r||), ignores vector lengths, so only directions count.
 *
 * Example: query [1, 1] against [1, 0] ('x'), [0, 1] ('y') and [2, 1.9] ('x'): similarities
 * 0.7071, 0.7071 and 0.9997, so the nearest two are 'x' (index 2) and 'x' (index 0; index 1
 * ties with it and loses to the lower index).
 * ```ts
 * cosineNearest([1, 1], [{ vector: [1, 0], label: 'x' }, { vector: [0, 1], label: 'y' }, { vector: [2, 1.9], label: 'x' }], 2).labels;
 * // ['x', 'x']
 * ```
 * Paper: Lee 2013, "Pseudo-Label: The Simple and Efficient Semi-Supervised Learning Method
 * for Deep Neural Networks" (ICML workshop) for pseudolabels; Salton & McGill 1983 for
 * cosine similarity.
 *
 * @param query the vector to label
 * @param references labelled vectors, each as long as the query
 * @param n how many of the most similar references to return, 1..references.length
 */
export function cosineNearest<L>(
  query: Vector,
  references: readonly LabelledVector<L>[],
  n: number,
): CosineNearest<L> {
  if (!Number.isInteger(n) || n < 1 || n > references.length) {
    throw new Error(
      `cosineNearest: n must be an integer in [1, ${references.length}] (the number of references), got ${n}`,
    );
  }
  const ranked = references
    .map((r, index) => {
      if (r.vector.length !== query.length) {
        throw new Error(
          `cosineNearest: reference ${index} has ${r.vector.length} values, the query ${query.length}`,
        );
      }
      return { index, label: r.label, similarity: cosineSimilarity(query, r.vector) };
    })
    .sort((a, b) => b.similarity - a.similarity || a.index - b.index)
    .slice(0, n)
    .map((m, i) => ({ rank: i + 1, ...m }));
  const labels = ranked.map((m) => m.label);
  return { nearest: ranked, labels, pseudolabel: majority(labels) };
}

/** Most frequent label; ties go to the label that appears first. */
function majority<L>(labels: readonly L[]): L {
  const counts = new Map<L, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  let best = labels[0] as L;
  for (const [label, count] of counts) if (count > (counts.get(best) ?? 0)) best = label;
  return best;
}
