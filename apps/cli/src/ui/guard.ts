import { timingSafeEqual } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';
import type { MiddlewareHandler } from 'hono';

/** Host names a server answers to whatever it is bound to (any port). */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** The header that carries the per-start write token ({@link GuardOptions.writeToken}). */
export const TOKEN_HEADER = 'x-tunelab-token';

/** Addresses that mean "every interface". */
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/** Whether `host` is a loopback address or name (uploads are on by default there). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Options of {@link hostGuard}. */
export interface GuardOptions {
  /** The address the server is bound to ('127.0.0.1', '0.0.0.0', a LAN address, ...). */
  boundHost: string;
  /** More names the server may be reached by (`--allow-host`), e.g. 'lab-1.local'. */
  allowHosts?: readonly string[];
  /** Whether writes (POST /api/runs) are accepted at all. */
  uploads: boolean;
  /** The token every write must send in the x-tunelab-token header. */
  writeToken: string;
}

/**
 * The Host names a server bound to `boundHost` answers to: the loopback names, the bound
 * address, the names given, and when bound to every interface (0.0.0.0, ::) this machine's
 * host name and interface addresses. Never "any": a name an attacker controls (DNS
 * rebinding: evil.example resolving to this machine) is not on the list.
 */
export function allowedHostNames(boundHost: string, extra: readonly string[] = []): Set<string> {
  const names = new Set([...LOOPBACK_NAMES, ...extra.map(bracketed)]);
  if (WILDCARDS.has(boundHost)) {
    names.add(hostname().toLowerCase());
    for (const list of Object.values(networkInterfaces()))
      for (const a of list ?? []) names.add(bracketed(a.address.replace(/%.*$/, '')));
  } else names.add(bracketed(boundHost));
  return names;
}

/**
 * Refuses requests that a web page elsewhere could make on the user's behalf, before any
 * route runs; answers 403 with what was received and what was expected:
 * - a Host header not on {@link allowedHostNames} (DNS rebinding);
 * - an Origin header (on any request, reads included) other than the server's own origin
 *   `http://<Host>` (another site reading or writing through the user's browser; also 'null');
 * - a write when uploads are off (a server reachable from the network, unless --allow-upload),
 *   or without the per-start token the dashboard page gets from /api/info.
 */
export function hostGuard(options: GuardOptions): MiddlewareHandler {
  const allowed = allowedHostNames(options.boundHost, options.allowHosts ?? []);
  const token = Buffer.from(options.writeToken);
  return async (c, next) => {
    const host = (c.req.header('host') ?? '').toLowerCase();
    const name = host.replace(/:\d+$/, '');
    if (!allowed.has(name)) {
      return c.json(
        {
          error: `Host "${host}" refused: expected one of ${[...allowed].join(', ')} (add a name with --allow-host)`,
        },
        403,
      );
    }
    const origin = c.req.header('origin');
    if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) {
      return c.json(
        { error: `Origin "${origin}" refused: expected the dashboard's own (http://${host})` },
        403,
      );
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      if (!options.uploads) {
        return c.json(
          {
            error: `writes are off: the server listens on ${options.boundHost}, reachable from other machines; start it with --allow-upload to accept runs`,
          },
          403,
        );
      }
      const sent = Buffer.from(c.req.header(TOKEN_HEADER) ?? '');
      if (sent.length !== token.length || !timingSafeEqual(sent, token)) {
        return c.json(
          {
            error: `missing or wrong ${TOKEN_HEADER} header: writes need the token of this server start (reload the dashboard)`,
          },
          403,
        );
      }
    }
    await next();
  };
}

function bracketed(host: string): string {
  const h = host.toLowerCase();
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
}
