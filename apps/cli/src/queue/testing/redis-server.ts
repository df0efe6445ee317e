import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The redis-server binary on PATH, or null (the queue tests are skipped without it). */
export function findRedisServer(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : null;
}

/** A port the OS says is free right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** TLS files for a test redis-server (rediss://). */
export interface TestTls {
  /** PEM certificate of the server, self-signed: it is also the CA clients must trust. */
  cert: string;
  /** PEM private key. */
  key: string;
}

/**
 * A self-signed certificate for localhost and 127.0.0.1 made with openssl, or null when
 * openssl is not installed.
 */
export function makeTestCertificate(): TestTls | null {
  const dir = mkdtempSync(join(tmpdir(), 'tunelab-tls-'));
  const tls = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
  const made = spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-keyout',
    tls.key,
    '-out',
    tls.cert,
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  return made.status === 0 ? tls : null;
}

/** A redis-server of a test: its own port on 127.0.0.1, its own folder, append-only file on. */
export interface TestRedis {
  /** redis://:password@127.0.0.1:port, or rediss://:password@localhost:port with TLS. */
  readonly url: string;
  readonly port: number;
  /** Its data folder (appendonly files). */
  readonly dir: string;
  /** Stops it (SIGTERM: the append-only file is flushed) and waits for the exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder; resolves once it answers. */
  start(): Promise<void>;
}

/**
 * Starts `redis-server` the way the docs tell users to (password, AOF with an fsync per
 * write) on a free 127.0.0.1 port in a temporary folder, speaking only TLS when `tls` is
 * given; resolves when it accepts connections.
 */
export async function startTestRedis(password = 'test-secret', tls?: TestTls): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tunelab-redis-'));
  let child: ChildProcess | null = null;
  const start = async () => {
    const proc = spawn(
      'redis-server',
      [
        ...(tls
          ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.cert]
          : ['--port', String(port)]),
        ...(tls
          ? ['--tls-key-file', tls.key, '--tls-ca-cert-file', tls.cert, '--tls-auth-clients', 'no']
          : []),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--requirepass',
        password,
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/Ready to accept connections/.test(output)) resolve();
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.on('exit', (code) =>
        reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`)),
      );
    });
  };
  await start();
  return {
    url: tls ? `rediss://:${password}@localhost:${port}` : `redis://:${password}@127.0.0.1:${port}`,
    port,
    dir,
    start,
    stop: async () => {
      const proc = child;
      if (!proc || proc.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        proc.on('exit', () => resolve());
        proc.kill('SIGTERM');
      });
    },
  };
}
