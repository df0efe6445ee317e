import type { z } from 'zod';

/** "file: field.path: message" per issue, one per line. */
export function formatIssues(file: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const at = issue.path.length ? issue.path.join('.') : '(top level)';
    return `  ${at}: ${issue.message}`;
  });
  return `${file}: invalid experiment\n${lines.join('\n')}`;
}
