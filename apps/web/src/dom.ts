/** Small DOM helpers: the app is plain TypeScript and DOM, no framework. */

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The element matching `selector` inside `root`; throws naming the selector when there is none. */
export function $<T extends Element = HTMLElement>(
  selector: string,
  root: ParentNode = document,
): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`no element matches "${selector}"`);
  return found;
}

/** A number for a table cell: integers grouped, fractions to 4 decimals, missing as an en dash. */
export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(digits);
}

/** "3.2 MB" for a byte count. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** "2026-11-23 14:15" in local time, from an ISO string. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A status badge (running, completed, stopped, interrupted, failed). */
export function statusBadge(status: string): string {
  return `<span class="badge status-${escapeHtml(status)}">${escapeHtml(status)}</span>`;
}

/** An error message block. */
export function errorBlock(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `<p class="error">${escapeHtml(message)}</p>`;
}

/** Calls `fn` at most once per `ms`, with the latest arguments (live redraws). */
export function throttle<A extends unknown[]>(
  fn: (...args: A) => void,
  ms: number,
): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest: A;
  return (...args: A) => {
    latest = args;
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      fn(...latest);
    }, ms);
  };
}

/** Makes `el` a drop target: highlighted while files hover over it, `onDrop` gets what was dropped. */
export function dropZone(el: HTMLElement, onDrop: (transfer: DataTransfer) => void): void {
  el.addEventListener('dragover', (e) => {
    e.preventDefault();
    el.classList.add('over');
  });
  el.addEventListener('dragleave', () => el.classList.remove('over'));
  el.addEventListener('drop', (e) => {
    e.preventDefault();
    el.classList.remove('over');
    if (e.dataTransfer) onDrop(e.dataTransfer);
  });
}
