import { request } from 'node:http';

/** A response read whole. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Sends a request with the exact `path` given (fetch and URL would resolve '..' and
 * '%2e%2e' before sending; attacks do not).
 */
export function rawRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** One server-sent event. */
export interface ServerEvent {
  event: string;
  data: unknown;
}

/**
 * Opens a server-sent event stream and hands out its events one at a time: `next(match)`
 * resolves with the first event (after those already taken) that `match` accepts.
 */
export async function openEvents(url: string) {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const events: ServerEvent[] = [];
  let buffer = '';
  const pull = async (): Promise<boolean> => {
    const { value, done } = await reader.read();
    if (done) return false;
    buffer += value;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? 'message';
      const data = frame
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      events.push({ event, data: data ? JSON.parse(data) : null });
      end = buffer.indexOf('\n\n');
    }
    return true;
  };
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    /** The next event accepted by `match` (others are skipped), within `timeoutMs`. */
    async next(match: (e: ServerEvent) => boolean = () => true, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = events.findIndex(match);
        if (i >= 0) return events.splice(0, i + 1).at(-1)!;
        events.length = 0;
        if (Date.now() > deadline)
          throw new Error(`no matching event from ${url} in ${timeoutMs} ms`);
        const timeout = new Promise<'timeout'>((r) =>
          setTimeout(() => r('timeout'), deadline - Date.now()),
        );
        const more = await Promise.race([pull(), timeout]);
        if (more === false) throw new Error(`${url}: stream ended`);
      }
    },
    close: () => controller.abort(),
  };
}
