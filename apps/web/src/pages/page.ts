import type { Route } from '../router.js';
import type { RunSource } from '../source/types.js';

/** What a page gets: where to draw, where runs come from, and how to go elsewhere. */
export interface PageContext {
  readonly root: HTMLElement;
  /** Null until the user opens files when no server is there. */
  readonly source: RunSource | null;
  /** Replaces the source (opening local files) and shows the runs list. */
  useSource(source: RunSource): void;
  navigate(route: Route): void;
}

/** Draws a page; resolves to a function that stops its live updates when the page is left. */
export type Page = (ctx: PageContext) => Promise<() => void> | (() => void);

/** A page that needs runs but has no source yet: tell the user how to get one. */
export function needsSource(ctx: PageContext): boolean {
  if (ctx.source) return false;
  ctx.root.innerHTML =
    '<h2>No runs yet</h2><p>This page was not served by <code>tunelab ui</code>, so there is no runs directory to read. ' +
    '<a href="#/open">Open run directories or a report</a> from your disk instead.</p>';
  return true;
}
