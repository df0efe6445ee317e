import { Redis } from 'ioredis';
import { UsageError } from '../errors.js';

/** Key prefix of everything tunelab keeps in Redis (BullMQ's own keys included). */
export const KEY_PREFIX = 'tunelab';

/** The BullMQ queue every coordinator adds trials to and every `tunelab worker` takes them from. */
export const QUEUE_NAME = 'trials';

/**
 * Checks a `--queue` URL: redis:// (plain) or rediss:// (TLS), with an optional password
 * (`redis://:secret@host:6379`, `redis://user:secret@host:6379/0`). Returns it unchanged.
 */
export function parseQueueUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `--queue: expected a Redis URL like redis://:password@host:6379, got "${value}"`,
    );
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new UsageError(
      `--queue: expected redis:// or rediss:// (TLS), got "${url.protocol}//" in ${redactUrl(value)}`,
    );
  if (!url.hostname) throw new UsageError(`--queue: no host in ${redactUrl(value)}`);
  return value;
}

/** The URL with its password replaced by *** (for messages and logs). */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return value.replace(/:[^:@/]*@/, ':***@');
  }
}

/** Connections being closed on purpose (their 'close' is not a lost connection). */
const closing = new WeakSet<Redis>();

/** Closes a connection from {@link connectRedis} without reporting it as lost. */
export function closeRedis(redis: Redis): void {
  closing.add(redis);
  redis.disconnect();
}

/** How a connection behaves. */
export interface ConnectOptions {
  /** Give up when the first connection is not ready after this many ms. Default 10 s. */
  readyTimeoutMs?: number;
  /** Told when the connection drops and comes back (a Redis restart). */
  print?: (line: string) => void;
}

/**
 * Opens an ioredis connection to `url` and waits until it is ready, so a wrong host, port or
 * password is one clear error instead of endless retries. Once connected, a dropped connection
 * (Redis restarted) is retried forever with a capped backoff and commands wait for it
 * (`maxRetriesPerRequest: null`, which BullMQ requires for workers).
 */
export async function connectRedis(url: string, options: ConnectOptions = {}): Promise<Redis> {
  const shown = redactUrl(url);
  let ready = false;
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    lazyConnect: true,
    // ioredis waits retryStrategy's ms between attempts; null would stop reconnecting.
    retryStrategy: (times) => Math.min(100 * times, 2000),
  });
  // Errors after the first connection are retried by ioredis; BullMQ reports its own.
  redis.on('error', () => undefined);
  redis.on('close', () => {
    if (ready && !closing.has(redis))
      options.print?.(`lost the connection to Redis at ${shown}; reconnecting...`);
  });
  redis.on('ready', () => {
    if (ready) options.print?.(`reconnected to Redis at ${shown}`);
    ready = true;
  });
  const timeoutMs = options.readyTimeoutMs ?? 10_000;
  try {
    // The first connection fails fast: a refused port, a wrong password or an untrusted
    // certificate will not mend by retrying.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no answer in ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
      redis.once('error', (error: Error) => {
        clearTimeout(timer);
        reject(error);
      });
      redis.connect().catch(() => undefined);
    });
  } catch (error) {
    closeRedis(redis);
    const reason = (error as Error).message;
    const hint = /NOAUTH|WRONGPASS|invalid password|AUTH/i.test(reason)
      ? 'check the password in the URL (redis://:password@host:port)'
      : /certificate|SSL|TLS|self.signed/i.test(reason)
        ? "the server's TLS certificate is not trusted here: point NODE_EXTRA_CA_CERTS at the CA file that signed it"
        : 'is redis-server running there, and is its port open to this machine?';
    throw new Error(`cannot use Redis at ${shown}: ${reason}; ${hint}`);
  }
  return redis;
}

/** Environment variable holding the queue URL, so its password stays off the command line. */
export const QUEUE_ENV_VAR = 'TUNELAB_QUEUE';

/**
 * The queue URL of `--queue [url]`: the URL given, or $TUNELAB_QUEUE when the option has no
 * value; undefined when the option is absent.
 */
export function queueUrlOf(option: string | boolean | undefined): string | undefined {
  if (option === undefined || option === false) return undefined;
  if (option !== true) return parseQueueUrl(option);
  const fromEnv = process.env[QUEUE_ENV_VAR];
  if (!fromEnv)
    throw new UsageError(
      `--queue without a URL reads $${QUEUE_ENV_VAR}, which is not set (e.g. export ${QUEUE_ENV_VAR}=redis://:password@host:6379)`,
    );
  return parseQueueUrl(fromEnv);
}
