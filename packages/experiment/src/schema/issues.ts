import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/**
 * The issues a union stands for, readable: zod reports "Invalid input" for a value no
 * alternative accepts. Alternatives told apart by their key ({ conv2d } or { maxPool }; a zoo
 * `name`, `layers` or `file`) give "expected one of ..., got ..." when the value has none of
 * those keys; otherwise the alternative the value came closest to (its issues deepest, then
 * fewest) speaks.
 */
function unionIssues(issue: Extract<Issue, { code: 'invalid_union' }>): Issue[] {
  const raw = issue.errors.filter((b) => b.length > 0);
  if (raw.length === 0) return [issue];
  // An alternative of another type altogether (null, a function) is no candidate.
  const keyed = raw.filter(
    (b) => !(b.length === 1 && b[0]!.path.length === 0 && b[0]!.code !== 'unrecognized_keys'),
  );
  // An alternative whose only complaint is extra keys: the value names several alternatives.
  if (keyed.some((b) => b.length === 1 && b[0]!.code === 'unrecognized_keys')) {
    const given = [
      ...new Set(
        keyed.flatMap((b) => b.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : []))),
      ),
    ];
    return [
      { ...issue, message: `expected one key, got ${given.join(', ')}`, errors: [] } as Issue,
    ];
  }
  const keyOf = (b: Issue[]) => {
    const own = b.filter((i) => i.code !== 'unrecognized_keys');
    const first = own[0]?.path[0];
    return b.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0) &&
      own.length > 0 &&
      own.every((i) => i.path.length >= 1 && i.path[0] === first)
      ? String(first)
      : null;
  };
  const keys = keyed.map(keyOf);
  if (keyed.length > 1 && keys.every((k) => k !== null)) {
    const given = keyed[0]!.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : []));
    const message = `expected one of: ${keys.join(', ')}; got ${given.join(', ')}`;
    return [{ ...issue, message, errors: [] } as Issue];
  }
  // Nested unions first, so each alternative is judged by its own deepest issues.
  const branches = raw.map((b) => b.flatMap(expand));
  const depth = (b: Issue[]) => Math.max(...b.map((i) => i.path.length));
  const best = [...branches].sort((a, b) => depth(b) - depth(a) || a.length - b.length)[0]!;
  return best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as Issue);
}

function expand(issue: Issue): Issue[] {
  return issue.code === 'invalid_union' && issue.errors.length > 0 ? unionIssues(issue) : [issue];
}

/**
 * "file: invalid experiment" and then one line per problem, "  field.path: message"; a value
 * no alternative of a union accepts is explained by the alternative it came closest to.
 */
export function formatIssues(file: string, error: z.ZodError): string {
  const lines = error.issues.flatMap(expand).map((issue) => {
    const at = issue.path.length ? issue.path.join('.') : '(top level)';
    return `  ${at}: ${issue.message}`;
  });
  return `${file}: invalid experiment\n${lines.join('\n')}`;
}
