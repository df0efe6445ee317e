import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { locateDataset } from '@tunelab/datasets/node';
import { Command, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import { UsageError } from '../errors.js';
import { isLoopback } from '../ui/guard.js';
import { startUiServer, type UiServer } from '../ui/server.js';
import { findWebDir } from '../ui/web-dir.js';

interface UiFlags {
  runs: string;
  port: number;
  host: string;
  allowHost?: string[];
  allowUpload?: boolean;
  data?: string;
}

/** Commander parser for a TCP port: 0 (any free one) to 65535. */
export function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535)
    throw new InvalidArgumentError(`expected a port from 0 to 65535, got "${value}"`);
  return n;
}

/** Default port of the dashboard. */
export const UI_PORT = 4777;

/** Starts the dashboard for `flags`; errors name the option to change. */
export async function serveUi(flags: UiFlags): Promise<UiServer> {
  const runsDir = resolve(flags.runs);
  if (existsSync(runsDir) && !statSync(runsDir).isDirectory())
    throw new UsageError(`--runs ${flags.runs}: not a folder (expected the runs directory)`);
  try {
    return await startUiServer({
      runsDir,
      webDir: findWebDir(),
      port: flags.port,
      host: flags.host,
      allowHosts: flags.allowHost ?? [],
      uploads: flags.allowUpload === true || isLoopback(flags.host),
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
        'from those uploads. Binds to 127.0.0.1 (this machine only) unless --host says otherwise. ' +
        'Answers only requests naming an allowed Host (loopback names, the bound address, this ' +
        "machine's names when bound to 0.0.0.0, and --allow-host names) from its own pages (Origin); " +
        'writes need the token the dashboard page gets, and are off unless on loopback or --allow-upload.',
    )
    .option('-r, --runs <dir>', 'runs directory to serve', 'runs')
    .option('-p, --port <n>', 'port to listen on, 0 to 65535 (0: any free port)', port, UI_PORT)
    .option(
      '--host <host>',
      'interface to bind (0.0.0.0 exposes your runs to the network)',
      '127.0.0.1',
    )
    .option(
      '--allow-host <name>',
      'another Host name the dashboard is reached by (repeatable), e.g. lab-1.local',
      (value: string, list: string[] = []) => [...list, value],
    )
    .option(
      '--allow-upload',
      'accept runs saved from the browser even when listening beyond this machine',
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
      if (!isLoopback(flags.host))
        out(
          pc.yellow(
            `listening on ${flags.host}: other machines can read these runs; saving runs from the browser is ${flags.allowUpload ? 'on (--allow-upload)' : 'off (--allow-upload turns it on)'}`,
          ),
        );
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
