import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createUiApp, type UiAppOptions } from './app.js';

/** Options of {@link startUiServer}. */
export interface UiServerOptions extends UiAppOptions {
  /** Port; 0 picks a free one. */
  port: number;
  /** Interface to bind. Default 127.0.0.1 (this machine only). */
  host?: string;
}

/** A running dashboard server. */
export interface UiServer {
  /** http://host:port/ */
  readonly url: string;
  readonly port: number;
  /** Ends live streams and open connections, then stops listening. */
  close(): Promise<void>;
}

/** Starts the dashboard server; resolves once it listens (rejects when the port is taken). */
export function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  const { app, live } = createUiApp({ ...options, host });
  return new Promise((resolvePromise, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: host }) as Server;
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolvePromise({
        url: `http://${shown}:${port}/`,
        port,
        close: () =>
          new Promise<void>((done) => {
            live.closeAll();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
