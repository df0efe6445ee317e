#!/usr/bin/env node
// Runs every workspace's tests (packages, apps, the examples in reduced size, the packaging
// tests) through turbo
// (building what they depend on first), then sums the vitest JSON reports into one line:
// "N passed, N failed[, N skipped]".
// A test file that fails to load counts as one failure, so a broken suite never reads as green.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// The workspaces of pnpm-workspace.yaml (its `packages:` globs: 'packages/*', 'examples', ...),
// so a workspace added there is counted without being named here.
const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
const globs = [
  ...(/^packages:\n((?:[ \t]*(?:-.*|#.*)?\n)+)/m.exec(yaml)?.[1] ?? '').matchAll(
    /^[ \t]*-[ \t]*['"]?([^'"\n#]+?)['"]?[ \t]*$/gm,
  ),
].map((m) => m[1]);
const workspaces = globs
  .flatMap((glob) => {
    if (!glob.endsWith('/*')) return [join(root, glob)];
    const parent = join(root, glob.slice(0, -2));
    if (!existsSync(parent)) return [];
    return readdirSync(parent, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(parent, d.name));
  })
  .filter((dir) => existsSync(join(dir, 'package.json')));
if (workspaces.length === 0) throw new Error('no workspaces found in pnpm-workspace.yaml');
const reports = workspaces.map((dir) => join(dir, '.vitest', 'results.json'));
// Stale reports from an earlier run must not be counted (turbo restores cached ones).
for (const report of reports) rmSync(report, { force: true });

const turbo = spawnSync(
  'pnpm',
  ['exec', 'turbo', 'run', 'test', '--continue', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const [i, report] of reports.entries()) {
  const pkg = JSON.parse(readFileSync(join(workspaces[i], 'package.json'), 'utf8'));
  if (!pkg.scripts?.test) continue;
  if (!existsSync(report)) {
    missing.push(pkg.name);
    failed += 1;
    continue;
  }
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  skipped += json.numPendingTests + json.numTodoTests;
  for (const suite of json.testResults) {
    if (suite.status === 'failed' && suite.assertionResults.length === 0) failed += 1;
  }
}
if (missing.length) console.log(`no test report from: ${missing.join(', ')} (counted as failures)`);
const totals = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
console.log(totals);
process.exit(turbo.status === 0 && failed === 0 ? 0 : 1);
