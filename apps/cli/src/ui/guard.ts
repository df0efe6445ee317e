import type { MiddlewareHandler } from 'hono';

/** Host names a loopback server answers to (any port). */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Refuses requests that a web page elsewhere could make on the user's behalf:
 * - a Host header other than the loopback names or the address the server was bound to
 *   (DNS rebinding: evil.example resolving to 127.0.0.1 would otherwise read every run);
 * - a write (POST) whose Origin is another site (cross-site request forgery).
 * Answers 403 with the header received and what was expected.
 */
export function localOnly(boundHost: string): MiddlewareHandler {
  const allowed = new Set([...LOOPBACK_NAMES, bracketed(boundHost)]);
  const anyHost = boundHost === '0.0.0.0' || boundHost === '::';
  return async (c, next) => {
    const host = c.req.header('host') ?? '';
    const name = host.replace(/:\d+$/, '').toLowerCase();
    if (!anyHost && !allowed.has(name)) {
      return c.json(
        { error: `Host "${host}" refused: expected one of ${[...allowed].join(', ')}` },
        403,
      );
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const origin = c.req.header('origin');
      if (origin && safeHost(origin) !== host.toLowerCase()) {
        return c.json(
          { error: `Origin "${origin}" refused: expected the dashboard's own (http://${host})` },
          403,
        );
      }
    }
    await next();
  };
}

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host.toLowerCase();
}

function safeHost(origin: string): string {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return '';
  }
}
