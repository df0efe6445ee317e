import { errorBlock, escapeHtml } from './dom.js';
import { comparePage } from './pages/compare.js';
import { openPage } from './pages/open.js';
import type { Page, PageContext } from './pages/page.js';
import { runPage } from './pages/run.js';
import { runsPage } from './pages/runs.js';
import { sweepPage } from './pages/sweep.js';
import { trainPage } from './pages/train.js';
import { parseRoute, type Route, routeHash } from './router.js';
import type { RunSource } from './source/types.js';

function pageFor(route: Route): Page {
  switch (route.page) {
    case 'run':
      return runPage(route.id);
    case 'compare':
      return comparePage(route.ids);
    case 'sweep':
      return sweepPage(route.id);
    case 'train':
      return trainPage;
    case 'open':
      return openPage;
    default:
      return runsPage;
  }
}

/**
 * The app shell: the page for the URL's hash, drawn into `main`, with the source of runs
 * (the `tunelab ui` server, or files the user opened). Leaving a page stops its live updates.
 */
export class App {
  #source: RunSource | null;
  #leave: (() => void) | undefined;
  #generation = 0;

  constructor(
    readonly main: HTMLElement,
    readonly sourceLabel: HTMLElement,
    source: RunSource | null,
  ) {
    this.#source = source;
    window.addEventListener('hashchange', () => void this.show());
    this.#showSource();
  }

  /** Draws the page of the current hash (the runs list, or "open" when there is nothing to list). */
  async show(): Promise<void> {
    const generation = ++this.#generation;
    this.#leave?.();
    this.#leave = undefined;
    const route = location.hash
      ? parseRoute(location.hash)
      : this.#source
        ? { page: 'runs' as const }
        : { page: 'open' as const };
    for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a'))
      link.classList.toggle(
        'active',
        link.dataset.page === route.page || (route.page === 'run' && link.dataset.page === 'runs'),
      );
    document.body.dataset.page = route.page;
    this.main.innerHTML = '<p class="muted">loading...</p>';
    const ctx: PageContext = {
      root: this.main,
      source: this.#source,
      useSource: (source) => {
        this.#source = source;
        this.#showSource();
        this.navigate({ page: 'runs' });
      },
      navigate: (next) => this.navigate(next),
    };
    try {
      const leave = await pageFor(route)(ctx);
      if (generation !== this.#generation) leave();
      else this.#leave = leave;
    } catch (error) {
      if (generation === this.#generation) this.main.innerHTML = errorBlock(error);
    } finally {
      if (generation === this.#generation) document.body.dataset.ready = route.page;
    }
  }

  navigate(route: Route): void {
    const hash = routeHash(route);
    if (location.hash === hash) void this.show();
    else location.hash = hash;
  }

  #showSource(): void {
    const s = this.#source;
    this.sourceLabel.innerHTML = s
      ? `${s.kind === 'server' ? 'live from' : 'opened'} <code>${escapeHtml(s.label)}</code>`
      : 'no server: open run directories from disk';
  }
}
