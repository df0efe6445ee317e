// Running npm, pnpm, node and the installed CLI as a user would: a clean environment (none of
// the npm_* / pnpm / turbo variables of the test run leak in), a time limit, and the output in
// the error when a command fails.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';

/** Options of {@link exec}. */
export interface ExecOptions {
  cwd: string;
  /** Variables set on top of the clean environment. */
  env?: Record<string, string>;
  /** Seconds before the command is killed. Default 300. */
  timeoutSeconds?: number;
  /** Text written to the command's standard input. */
  input?: string;
  /** Accept a non-zero exit (the caller checks `status`). */
  allowFailure?: boolean;
}

/** The environment of this process without the package-manager and turbo variables. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // NODE_PATH: pnpm's bin shims point it at the workspace's .pnpm/node_modules.
    if (/^(npm_|pnpm_|turbo_|vitest|node_options$|init_cwd$|node_path$)/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

/** Runs `command args` synchronously; throws with its output unless it exits 0. */
export function exec(
  command: string,
  args: readonly string[],
  options: ExecOptions,
): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    encoding: 'utf8',
    input: options.input,
    timeout: (options.timeoutSeconds ?? 300) * 1000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${options.cwd}) exited ${result.status ?? result.signal}\n` +
        `--- stdout\n${result.stdout.slice(-6000)}\n--- stderr\n${result.stderr.slice(-6000)}`,
    );
  }
  return result;
}
