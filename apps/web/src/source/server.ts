import type {
  DatasetsResponse,
  MetricEntry,
  RunDetail,
  RunEvent,
  RunMetricsResponse,
  RunsListing,
  RunsResponse,
  RunUpload,
  ServedDataset,
  ServerInfo,
  SweepDetail,
  SweepsResponse,
} from '@tunelab/core/record';
import type { RunSource, RunWatcher } from './types.js';

const segment = encodeURIComponent;

/** Reads JSON from the API; errors carry the server's message and the URL. */
async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${url}: expected JSON, got HTTP ${response.status} ${text.slice(0, 80)}`);
  }
  if (!response.ok) {
    const message = (body as { error?: string }).error ?? `HTTP ${response.status}`;
    throw new Error(`${url}: ${message}`);
  }
  return body as T;
}

/**
 * The `tunelab ui` server at `base` (the page's own origin): the JSON API, with server-sent
 * events for live updates.
 */
export class ServerSource implements RunSource {
  readonly kind = 'server';
  /** Saves a run into the runs directory; absent when the server does not accept uploads. */
  readonly upload?: (run: RunUpload) => Promise<{ id: string }>;

  /** `token`: the server's write token (from /api/info), or null when writes are off. */
  constructor(
    readonly label: string,
    readonly base = '',
    token: string | null = null,
  ) {
    if (token !== null)
      this.upload = (run) =>
        getJson(`${this.base}api/runs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tunelab-token': token },
          body: JSON.stringify(run),
        });
  }

  /** The server's source when the page was served by `tunelab ui`, else null. */
  static async detect(base = ''): Promise<ServerSource | null> {
    try {
      const info = await getJson<Partial<ServerInfo>>(`${base}api/info`);
      if (info.name !== 'tunelab') return null;
      const token = info.upload && info.token ? info.token : null;
      return new ServerSource(info.runsDir ?? 'server', base, token);
    } catch {
      return null;
    }
  }

  async listing(): Promise<RunsListing> {
    const [runs, sweeps] = await Promise.all([
      getJson<RunsResponse>(`${this.base}api/runs`),
      getJson<SweepsResponse>(`${this.base}api/sweeps`),
    ]);
    return { ...runs, sweeps: sweeps.sweeps };
  }

  watchListing(onChange: (listing: RunsListing) => void): () => void {
    const events = new EventSource(`${this.base}api/events`);
    events.addEventListener('runs', (e) => onChange(JSON.parse((e as MessageEvent).data)));
    return () => events.close();
  }

  run(id: string): Promise<RunDetail> {
    return getJson(`${this.base}api/runs/${segment(id)}`);
  }

  async metrics(id: string): Promise<MetricEntry[]> {
    return (await getJson<RunMetricsResponse>(`${this.base}api/runs/${segment(id)}/metrics`))
      .metrics;
  }

  watchRun(id: string, watcher: RunWatcher): () => void {
    const events = new EventSource(`${this.base}api/runs/${segment(id)}/events`);
    // Each event is named by its type and carries the RunEvent of that type.
    const on = <K extends RunEvent['type']>(
      name: K,
      handle: (data: Extract<RunEvent, { type: K }>) => void,
    ) => events.addEventListener(name, (e) => handle(JSON.parse((e as MessageEvent).data)));
    on('snapshot', (d) => watcher.snapshot(d.record, d.metrics));
    on('metrics', (d) => watcher.metrics(d.entries));
    on('record', (d) => watcher.record(d.record));
    on('problem', (d) => watcher.problem(d.message));
    return () => events.close();
  }

  artifactUrl(id: string, name: string): string {
    return `${this.base}api/runs/${segment(id)}/artifacts/${segment(name)}`;
  }

  async artifactText(id: string, name: string): Promise<string> {
    const response = await fetch(this.artifactUrl(id, name));
    if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
    return response.text();
  }

  sweep(id: string): Promise<SweepDetail> {
    return getJson(`${this.base}api/sweeps/${segment(id)}`);
  }

  async datasets(): Promise<ServedDataset[]> {
    return (await getJson<DatasetsResponse>(`${this.base}api/datasets`)).datasets;
  }

  datasetFileUrl(name: string, file: string): string {
    return `${this.base}api/datasets/${segment(name)}/files/${segment(file)}`;
  }
}
