// README code blocks marked runnable (```ts runnable, ```sh runnable): the registry test runs
// each as written, in a fresh project installed from the registry. An experiment file says how
// the installed CLI runs it: ```ts runnable: tunelab train --epochs 1 (GitHub shows `ts` only).
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, workspacePackages } from '../workspace.js';

/** One runnable block. */
export interface Snippet {
  /** README path relative to the root, with the block's line: 'packages/core/README.md:14'. */
  where: string;
  /** A file-name-safe id. */
  id: string;
  lang: 'ts' | 'sh';
  code: string;
  /** For an experiment file: the tunelab command that runs it (the file goes after the subcommand). */
  command?: string[];
}

/** The runnable blocks of the root README and of every workspace package's README. */
export function runnableSnippets(root = ROOT): Snippet[] {
  const readmes = [
    join(root, 'README.md'),
    ...workspacePackages(root).map((p) => join(p.dir, 'README.md')),
  ].filter((file) => existsSync(file));
  return readmes.flatMap((file) => snippetsIn(readFileSync(file, 'utf8'), relative(root, file)));
}

/** The runnable blocks of one Markdown text. */
export function snippetsIn(markdown: string, name: string): Snippet[] {
  const snippets: Snippet[] = [];
  const blocks = /^```(ts|sh) runnable(?:: *(tunelab [^\n]*?))?[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (const match of markdown.matchAll(blocks)) {
    const line = markdown.slice(0, match.index).split('\n').length;
    snippets.push({
      where: `${name}:${line}`,
      id: `${name.replace(/README\.md$/, '').replace(/[^a-z0-9]+/gi, '-') || 'root-'}${line}`,
      lang: match[1] as 'ts' | 'sh',
      code: match[3]!,
      ...(match[2] ? { command: match[2].split(/\s+/) } : {}),
    });
  }
  return snippets;
}
