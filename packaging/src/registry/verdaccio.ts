// A real npm registry for the tests: Verdaccio on 127.0.0.1 with a temporary storage folder.
// tunelab's packages can come only from a publish to it; everything else is proxied from the
// machine's configured npm registry (its uplink), as a company registry would.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { cleanEnv, exec } from './exec.js';

/** A running registry. */
export interface Registry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** A token of a user allowed to publish. */
  token: string;
  /** What Verdaccio printed (for failures). */
  log(): string;
  /** Stops the server (its storage folder is the caller's to remove). */
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The registry npm itself is configured with (the uplink for everything not ours). */
export function upstreamRegistry(cwd: string): string {
  const url = exec('npm', ['config', 'get', 'registry'], { cwd }).stdout.trim();
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * Starts Verdaccio with its config, storage and htpasswd under `dir`. `ownPackages` are the
 * names served only from what is published here (no uplink, so a missing publish is a 404).
 */
export async function startVerdaccio(
  dir: string,
  ownPackages: readonly string[],
): Promise<Registry> {
  mkdirSync(join(dir, 'storage'), { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const local = ownPackages
    .map((name) => `  '${name}':\n    access: $all\n    publish: $authenticated\n`)
    .join('');
  writeFileSync(
    join(dir, 'config.yaml'),
    `storage: ${join(dir, 'storage')}
auth:
  htpasswd:
    file: ${join(dir, 'htpasswd')}
    max_users: 1000
uplinks:
  upstream:
    url: ${upstreamRegistry(dir)}
    timeout: 300s
    maxage: 60m
    # A slow answer on a busy machine must not mark the uplink down for minutes (each package
    # never seen would then be a 404).
    max_fails: 1000
    fail_timeout: 5s
    agent_options:
      keepAlive: true
      maxSockets: 16
packages:
${local}  '**':
    access: $all
    proxy: upstream
web:
  enable: false
log: { type: stdout, format: pretty, level: warn }
`,
  );
  const bin = join(
    dirname(createRequire(import.meta.url).resolve('verdaccio/package.json')),
    'bin/verdaccio',
  );
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`],
    { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited:\n${output}`);
    try {
      if ((await fetch(`${url}-/ping`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`verdaccio did not start in 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  // npm adduser's request: creates a user and returns its token (a new name each start, so a
  // kept storage folder works too).
  const name = `publisher-${process.pid}-${Date.now()}`;
  const response = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: 'publisher-secret-1' }),
  });
  const body = (await response.json()) as { token?: string };
  if (!body.token) throw new Error(`could not create a user: ${JSON.stringify(body)}`);
  // Verdaccio answers 404 for a package its uplink cannot fetch (a TLS or proxy failure is not
  // an error to it): say so now rather than as missing packages later.
  const probe = await fetch(`${url}picocolors`);
  if (probe.status !== 200) {
    throw new Error(
      `the registry cannot reach its uplink ${upstreamRegistry(dir)} (GET picocolors: ${probe.status}); ` +
        'check the proxy and CA settings it runs with (HTTPS_PROXY, NODE_EXTRA_CA_CERTS)',
    );
  }
  return {
    url,
    token: body.token,
    log: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
