import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { locateDataset } from '@tunelab/datasets/node';
import { Command } from 'commander';
import pc from 'picocolors';
import { UsageError } from '../errors.js';
import { startUiServer, type UiServer } from '../ui/server.js';
import { findWebDir } from '../ui/web-dir.js';
import { nonNegativeInt } from './options.js';

interface UiFlags {
  runs: string;
  port: number;
  host: string;
  data?: string;
}

/** Default port of the dashboard. */
export const UI_PORT = 4777;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Starts the dashboard for `flags`; errors name the option to change. */
export async function serveUi(flags: UiFlags): Promise<UiServer> {
  const runsDir = resolve(flags.runs);
  try {
    return await startUiServer({
      runsDir,
      webDir: findWebDir(),
      port: flags.port,
      host: flags.host,
      ...(flags.data ? { locateDataset: (name) => locateDataset(name, { path: flags.data }) } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UsageError(`port ${flags.port} is in use: pass --port <n> (0 picks a free one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new UsageError(
        `cannot bind to host "${flags.host}": expected an address of this machine`,
      );
    throw error;
  }
}

export function uiCommand(): Command {
  return new Command('ui')
    .summary('browse, compare and watch runs in the browser; train in the browser')
    .description(
      'Serve the dashboard over a runs directory: the runs and sweeps below it (live while they ' +
        'train), their learning curves, model summaries and confusion matrices, comparisons of ' +
        'runs, sweep leaderboards, and training in the browser on WebGL/WebGPU with Fashion-MNIST ' +
        'from this machine (runs trained there are saved into the runs directory). Read-only apart ' +
        'from those uploads. Binds to 127.0.0.1 (this machine only) unless --host says otherwise.',
    )
    .option('-r, --runs <dir>', 'runs directory to serve', 'runs')
    .option('-p, --port <n>', 'port to listen on (0: any free port)', nonNegativeInt, UI_PORT)
    .option(
      '--host <host>',
      'interface to bind (0.0.0.0 exposes your runs to the network)',
      '127.0.0.1',
    )
    .option('--data <folder>', 'folder holding Fashion-MNIST (or MNIST) for in-browser training')
    .addHelpText(
      'after',
      `
Examples:
  $ tunelab ui                         # runs/ at http://127.0.0.1:${UI_PORT}/
  $ tunelab ui --runs /tmp/x --port 0  # any free port`,
    )
    .action(async (flags: UiFlags) => {
      const server = await serveUi(flags);
      const out = (line: string) => process.stderr.write(`${line}\n`);
      process.stdout.write(`${server.url}\n`);
      out(`tunelab dashboard at ${pc.bold(server.url)} (Ctrl-C stops)`);
      out(`runs: ${resolve(flags.runs)}${existsSync(flags.runs) ? '' : ' (does not exist yet)'}`);
      if (!findWebDir()) out(pc.yellow('the web app is not built: serving the API only'));
      if (!LOOPBACK.has(flags.host))
        out(pc.yellow(`listening on ${flags.host}: other machines can read these runs`));
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
