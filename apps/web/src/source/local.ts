import {
  type ArtifactListing,
  deriveStatus,
  type MetricEntry,
  parseMetricLines,
  parseRunRecord,
  parseSweepState,
  RUN_FILES,
  type RunDetail,
  type RunListing,
  type RunsListing,
  SWEEP_FILE,
  type SweepDetail,
  type SweepState,
  sweepDetailOf,
  sweepListingOf,
} from '@tunelab/core/record';
import type { RunSource } from './types.js';

/** A file the user opened: its path inside what was opened ("runs/sweep-x/t01/run.json"). */
export interface LocalFile {
  readonly path: string;
  readonly size: number;
  text(): Promise<string>;
  /** The file itself, for object URLs (absent in tests). */
  readonly blob?: Blob;
}

interface LocalRun {
  item: RunListing;
  files: Map<string, LocalFile>;
}

/**
 * Run directories opened from disk (a runs folder, a sweep folder or one run), read in the
 * browser with the same schemas as the server. No server, no live updates.
 */
export class LocalSource implements RunSource {
  readonly kind = 'files';
  readonly #runs = new Map<string, LocalRun>();
  readonly #sweeps = new Map<string, SweepDetail>();
  readonly #problems: Array<{ id: string; error: string }> = [];
  readonly #urls: string[] = [];

  private constructor(readonly label: string) {}

  /** Reads every run.json (and sweep.json) among `files`; unreadable runs become problems. */
  static async open(files: readonly LocalFile[]): Promise<LocalSource> {
    const paths = files.map((f) => f.path.replace(/^\/+/, ''));
    const first = paths[0]?.split('/')[0] ?? '';
    const shared =
      paths.length > 0 && paths.every((p) => p.includes('/') && p.split('/')[0] === first);
    const source = new LocalSource(shared ? first : `${files.length} file(s)`);
    const byDir = new Map<string, Map<string, LocalFile>>();
    files.forEach((file, i) => {
      const relative = shared ? paths[i]!.slice(first.length + 1) : paths[i]!.split('/').pop()!;
      const cut = relative.lastIndexOf('/');
      const dir = cut < 0 ? '' : relative.slice(0, cut);
      const name = relative.slice(cut + 1);
      if (!byDir.has(dir)) byDir.set(dir, new Map());
      byDir.get(dir)!.set(name, file);
    });
    const idOf = (dir: string) => dir || (shared ? first : '');
    for (const [dir, entries] of byDir) {
      const recordFile = entries.get(RUN_FILES.record);
      if (!recordFile) continue;
      const parent = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
      const sweep = dir && byDir.get(parent)?.has(SWEEP_FILE) ? idOf(parent) : null;
      try {
        const onDisk = parseRunRecord(JSON.parse(await recordFile.text()));
        // No process table here: a running run not heard from for 5 minutes reads interrupted.
        const shown = deriveStatus(onDisk);
        const record = { ...onDisk, status: shown.status };
        const id = idOf(dir) || record.id;
        const files = new Map(entries);
        for (const [name, file] of byDir.get(
          dir ? `${dir}/${RUN_FILES.artifacts}` : RUN_FILES.artifacts,
        ) ?? [])
          files.set(`${RUN_FILES.artifacts}/${name}`, file);
        const item = { id, sweep, record, ...(shown.note ? { statusNote: shown.note } : {}) };
        source.#runs.set(id, { item, files });
      } catch (error) {
        source.#problems.push({ id: idOf(dir) || 'run.json', error: (error as Error).message });
      }
    }
    for (const [dir, entries] of byDir) {
      const sweepFile = entries.get(SWEEP_FILE);
      if (sweepFile) await source.#addSweep(idOf(dir), sweepFile);
    }
    if (source.#runs.size === 0 && source.#problems.length === 0)
      throw new Error(
        `no ${RUN_FILES.record} among the ${files.length} file(s) opened: pick a runs folder, a sweep folder or a run directory`,
      );
    return source;
  }

  async #addSweep(id: string, file: LocalFile): Promise<void> {
    let state: SweepState;
    try {
      state = parseSweepState(JSON.parse(await file.text()), `${id}/${SWEEP_FILE}`);
    } catch (error) {
      this.#problems.push({ id: `${id}/${SWEEP_FILE}`, error: (error as Error).message });
      return;
    }
    this.#sweeps.set(
      id,
      sweepDetailOf(id, state, (trial) =>
        this.#runs.has(`${id}/${trial}`) ? `${id}/${trial}` : null,
      ),
    );
  }

  async listing(): Promise<RunsListing> {
    const runs = [...this.#runs.values()]
      .map((r) => r.item)
      .sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt));
    const sweeps = [...this.#sweeps.values()].map(sweepListingOf);
    return { runs, problems: [...this.#problems], sweeps };
  }

  #get(id: string): LocalRun {
    const run = this.#runs.get(id);
    if (!run) throw new Error(`no run "${id}" among the files opened`);
    return run;
  }

  async run(id: string): Promise<RunDetail> {
    const run = this.#get(id);
    const described = new Map(run.item.record.artifacts.map((a) => [a.path, a]));
    const artifacts: ArtifactListing[] = [...run.files.entries()]
      .filter(([path]) => path.startsWith(`${RUN_FILES.artifacts}/`))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([path, file]) => ({
        name: path.slice(RUN_FILES.artifacts.length + 1),
        path,
        kind: described.get(path)?.kind ?? 'application/octet-stream',
        ...(described.get(path)?.description
          ? { description: described.get(path)!.description! }
          : {}),
        bytes: file.size,
      }));
    return { ...run.item, artifacts };
  }

  async metrics(id: string): Promise<MetricEntry[]> {
    const file = this.#get(id).files.get(RUN_FILES.metrics);
    return file ? parseMetricLines(await file.text(), `${id}/${RUN_FILES.metrics}`) : [];
  }

  artifactUrl(id: string, name: string): string {
    const file = this.#get(id).files.get(`${RUN_FILES.artifacts}/${name}`);
    if (!file?.blob) return '#';
    const url = URL.createObjectURL(file.blob);
    this.#urls.push(url);
    return url;
  }

  async artifactText(id: string, name: string): Promise<string> {
    const file = this.#get(id).files.get(`${RUN_FILES.artifacts}/${name}`);
    if (!file) throw new Error(`run "${id}" has no artifact "${name}"`);
    return file.text();
  }

  async sweep(id: string): Promise<SweepDetail> {
    const sweep = this.#sweeps.get(id);
    if (!sweep) throw new Error(`no sweep "${id}" among the files opened`);
    return sweep;
  }
}
