import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { reportFor } from '../report/build.js';
import { REPORT_FORMATS, type ReportFormat, writeReport } from '../report/write.js';

export function reportCommand(): Command {
  return new Command('report')
    .summary('learning curves, summary tables and plots of runs and sweeps')
    .description(
      'Build the report of run or sweep directories. A run: learning curves (per epoch, and per ' +
        'training sample when evaluated periodically), where early-stopping criteria would have ' +
        'stopped, the confusion matrix, the summary and model summary tables. A sweep: the grid of ' +
        'curves (its first axis as columns, the second as rows), the summary table with each ' +
        "trial's best validation accuracy and epoch (test accuracy only where evaluated), the selection, " +
        'and for two axes the accuracy table (first axis as rows, second as columns, each cell with ' +
        'its own values).',
    )
    .argument('<dirs...>', 'run or sweep directories')
    .addOption(
      new Option(
        '-f, --format <format>',
        'html: one self-contained page; md: Markdown + PNGs; png/svg: an image per chart and table; csv: the summary table (other tables, e.g. a sweep accuracy table, as <name>.csv beside it)',
      )
        .choices(REPORT_FORMATS)
        .default('html'),
    )
    .option(
      '-o, --out <path>',
      'output file (html, md, csv) or folder (png, svg); default inside the (first) directory',
    )
    .option('--json', 'print the files written as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tunelab report runs/20261123-141502-quickstart-3fa2\n  $ tunelab report runs/sweep-coursework-1a2b3c4d --format png --out figures/',
    )
    .action(
      async (dirs: string[], flags: { format: ReportFormat; out?: string; json?: boolean }) => {
        for (const d of dirs) if (!existsSync(d)) throw new UsageError(`${d}: no such directory`);
        const contents = dirs.map((d) => reportFor(d));
        const base = dirs[0]!;
        const out =
          flags.out ??
          (flags.format === 'png' || flags.format === 'svg'
            ? join(base, 'report')
            : join(base, `report.${flags.format}`));
        const written = await writeReport(contents, flags.format, out);
        process.stdout.write(
          flags.json
            ? `${JSON.stringify({ format: flags.format, files: written }, null, 2)}\n`
            : `${written.map((f) => `wrote ${f}`).join('\n')}\n`,
        );
      },
    );
}
