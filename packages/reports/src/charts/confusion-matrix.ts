import type { TopLevelSpec } from 'vega-lite';

/**
 * A heatmap of a confusion matrix: rows are true classes, columns predicted, counts printed in
 * each cell. `confusionMatrixSpec([[50, 2], [5, 43]], ['cat', 'dog'])`: 50 cats right, 2 called
 * dog, 5 dogs called cat, 43 right.
 */
export function confusionMatrixSpec(
  matrix: readonly (readonly number[])[],
  classes: readonly string[],
  options: { title?: string } = {},
): TopLevelSpec {
  if (matrix.length !== classes.length || matrix.some((row) => row.length !== classes.length)) {
    throw new Error(
      `confusionMatrixSpec: expected a ${classes.length} x ${classes.length} matrix for ${classes.length} classes`,
    );
  }
  const max = Math.max(1, ...matrix.flat());
  const values = matrix.flatMap((row, i) =>
    row.map((count, j) => ({
      actual: classes[i]!,
      predicted: classes[j]!,
      count,
      dark: count > max / 2,
    })),
  );
  const size = Math.max(200, 36 * classes.length);
  const axis = { sort: [...classes] };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    width: size,
    height: size,
    data: { values },
    encoding: {
      x: {
        field: 'predicted',
        type: 'ordinal',
        title: 'predicted class',
        ...axis,
        axis: { labelAngle: -40 },
      },
      y: { field: 'actual', type: 'ordinal', title: 'true class', ...axis },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: 'count',
            type: 'quantitative',
            scale: { scheme: 'blues' },
            title: 'examples',
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: 'datum.dark', value: 'white' }, value: 'black' },
        },
      },
    ],
  } as TopLevelSpec;
}
