/** The pages of the app, addressed by the URL hash so any static host serves them. */
export type Route =
  | { page: 'runs' }
  | { page: 'run'; id: string }
  | { page: 'compare'; ids: string[] }
  | { page: 'sweep'; id: string }
  | { page: 'train' }
  | { page: 'open' };

/** Parses a hash such as "#/run/sweep-x%2Ft01" or "#/compare?run=a&run=b". Unknown hashes go to the runs list. */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page, ...rest] = path.split('/');
  const arg = decodeURIComponent(rest.join('/'));
  const params = new URLSearchParams(query);
  switch (page) {
    case 'run':
      return arg ? { page: 'run', id: arg } : { page: 'runs' };
    case 'sweep':
      return arg ? { page: 'sweep', id: arg } : { page: 'runs' };
    case 'compare':
      return { page: 'compare', ids: params.getAll('run').filter(Boolean) };
    case 'train':
      return { page: 'train' };
    case 'open':
      return { page: 'open' };
    default:
      return { page: 'runs' };
  }
}

/** The hash of a route (ids encoded as one segment). */
export function routeHash(route: Route): string {
  switch (route.page) {
    case 'run':
      return `#/run/${encodeURIComponent(route.id)}`;
    case 'sweep':
      return `#/sweep/${encodeURIComponent(route.id)}`;
    case 'compare':
      return `#/compare?${route.ids.map((id) => `run=${encodeURIComponent(id)}`).join('&')}`;
    default:
      return `#/${route.page}`;
  }
}
