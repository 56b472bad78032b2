/** Packs Herald once per run, unless HERALD_PACKAGE_TARBALL names a tarball already packed (`npm pack` runs prepack, which builds dist/) for every package test. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function packHerald(): void {
  // Set by hand to re-run the tests against a tarball already packed (while working on them).
  if (process.env['HERALD_PACKAGE_TARBALL'] !== undefined) return;
  const root = path.resolve(__dirname, '../..');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-pack-'));
  execFileSync('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  const file = readdirSync(dir).find((name) => name.endsWith('.tgz'));
  if (file === undefined) throw new Error(`npm pack wrote no tarball in ${dir}`);
  process.env['HERALD_PACKAGE_TARBALL'] = path.join(dir, file);
}
