import { experimentSchema } from '@tunelab/experiment';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from './cli.js';

/** Every command of the program, depth first, with its full name ('data split'). */
function allCommands(command: Command, prefix = ''): Array<{ name: string; command: Command }> {
  const name = `${prefix}${command.name()}`;
  return [
    { name, command },
    ...command.commands.flatMap((c) => allCommands(c, `${name === 'tunelab' ? '' : `${name} `}`)),
  ];
}

/** The full --help text of a command, at a given terminal width. */
function helpOf(command: Command, width: number): string {
  let out = '';
  command.configureHelp({ helpWidth: width });
  command.configureOutput({ writeOut: (s) => (out += s), getOutHelpWidth: () => width });
  command.outputHelp();
  return out;
}

/** The JSON experiment a help text shows (the line that starts with '{'). */
function jsonIn(help: string): unknown {
  const line = help.split('\n').find((l) => l.trim().startsWith('{'));
  if (!line) throw new Error('no JSON line in the help text');
  return JSON.parse(line);
}

const commands = allCommands(createProgram());

describe('--help', () => {
  it('covers every command', () => {
    expect(commands.map((c) => c.name)).toEqual(
      expect.arrayContaining(['train', 'sweep', 'bench', 'ui', 'data split', 'summary']),
    );
  });

  it.each(commands)(
    '$name: descriptions are unwrapped paragraphs (the parser wraps them)',
    ({ command }) => {
      // A line break inside a paragraph is wrapped again by commander: lines break mid-sentence.
      expect(command.description()).not.toMatch(/[^\n]\n[^\n]/);
      for (const option of command.options) expect(option.description).not.toMatch(/\n/);
      // At 60 columns every description line fits (commander wrapped it, nothing else did).
      const help = helpOf(command, 60);
      const [usage, ...rest] = help.split('\n\n');
      expect(usage).toMatch(/^Usage: /);
      const description = rest[0] ?? '';
      for (const line of description.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    },
  );

  it.each(commands)('$name: no references into the repository or its issues', ({ command }) => {
    const help = helpOf(command, 100);
    expect(help).not.toMatch(/issue \d|shared\/|BENCHMARKS\.md|examples\//);
  });

  it('train --help shows a JSON experiment that the schema accepts', () => {
    const train = commands.find((c) => c.name === 'train')!.command;
    const help = helpOf(train, 100);
    expect(help).toContain('$ tunelab train quickstart.json');
    const experiment = experimentSchema.parse(jsonIn(help));
    expect(experiment.data.dataset).toBe('fashion-mnist');
    expect(experiment.model).toMatchObject({ name: 'mlp' });
  });

  it('sweep --help shows a JSON sweep that the schema accepts', () => {
    const sweep = commands.find((c) => c.name === 'sweep')!.command;
    const help = helpOf(sweep, 100);
    expect(help).toContain('$ tunelab sweep lr-sweep.json');
    const experiment = experimentSchema.parse(jsonIn(help));
    expect(Object.keys(experiment.sweep?.axes ?? {})).toEqual(['lr']);
  });
});
