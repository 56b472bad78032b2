/**
 * The package build the benches measure: dist/ as `npm run build` writes it, which is what users
 * load. Rebuilt when it is missing, older than any source file, or when BENCH_BUILD=1: a stale
 * build would time old code under the new code's name.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
/** Written by the build; its time is the build's. */
const MARKER = path.join(ROOT, 'dist/cjs/modules.json');
const SOURCES = ['src', 'adapters', 'scripts/build.js', 'tsconfig.build.json', 'package.json'];

function newestSource(entry: string): number {
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const name of readdirSync(entry)) newest = Math.max(newest, newestSource(path.join(entry, name)));
  return newest;
}

/** The package build's CommonJS tree: what `require('herald')` loads in a user's project. */
export const PACKAGE_CJS = path.join(ROOT, 'dist/cjs');

/** Builds dist/ unless it is newer than every source file. For a bench's main process: its workers load PACKAGE_CJS as it is. */
export function buildPackageIfStale(): void {
  const stale = !existsSync(MARKER) || statSync(MARKER).mtimeMs < Math.max(...SOURCES.map((s) => newestSource(path.join(ROOT, s))));
  if (process.env['BENCH_BUILD'] === '1' || stale) execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.js')], { stdio: 'inherit' });
}
