/**
 * Scratch projects for the package tests: Herald as a user installs it.
 *
 * `npm pack` runs once per jest run (its prepack builds dist/), in the globalSetup
 * (test/package/global-setup.ts). Each project is a copy of test/package/projects/<shape>/ in a
 * temporary directory, with the tarball unpacked into node_modules/herald — exactly the files a
 * registry install gives — and every other package (Herald's dependencies ajv, avsc, re2js, tsx;
 * jest, babel-jest, ts-jest, vitest, typescript, @types) a symlink into this repository's
 * node_modules. Decided so: no registry and no npm cache needed (offline-robust), seconds instead
 * of an install, and the versions are the ones the lockfile pins.
 */
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
const REPO_MODULES = path.join(ROOT, 'node_modules');

/** The tarball the globalSetup packed. */
export function tarball(): string {
  const file = process.env['HERALD_PACKAGE_TARBALL'];
  if (file === undefined) throw new Error('HERALD_PACKAGE_TARBALL is not set: run the package tests through their jest project (globalSetup packs Herald).');
  return file;
}

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command in `cwd` (never rejects: the test asserts on code and output). */
export function run(command: string, args: readonly string[], cwd: string, timeout = 240_000): Promise<Run> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: 'true', PACT_DO_NOT_TRACK: 'true' };
    // The repository's own jest run sets these; a user's project starts without them.
    for (const name of ['HERALD_RUN_ID', 'HERALD_RUN_MODE', 'HERALD_RUN_LEDGER', 'HERALD_CONTRACTS_DIR', 'JEST_WORKER_ID', 'NODE_OPTIONS', 'TS_NODE_PROJECT']) delete env[name];
    execFile(command, [...args], { cwd, env, timeout, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

const created: string[] = [];

/** Removes the scratch projects this test file created. */
export function removeScratchProjects(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh project of the given shape with Herald installed from the tarball. */
export async function scratchProject(shape: string): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `herald-${shape}-`));
  created.push(dir);
  cpSync(path.join(ROOT, 'test/package/projects', shape), dir, { recursive: true });
  const modules = path.join(dir, 'node_modules');
  mkdirSync(path.join(modules, '.bin'), { recursive: true });
  for (const name of readdirSync(REPO_MODULES)) {
    if (name === 'herald' || name.startsWith('.')) continue;
    symlinkSync(path.join(REPO_MODULES, name), path.join(modules, name));
  }
  for (const name of ['jest', 'vitest', 'tsc']) symlinkSync(realpathSync(path.join(REPO_MODULES, '.bin', name)), path.join(modules, '.bin', name));
  const herald = path.join(modules, 'herald');
  mkdirSync(herald);
  const untar = await run('tar', ['-xzf', tarball(), '-C', herald, '--strip-components=1'], dir);
  if (untar.code !== 0) throw new Error(`Failed to unpack ${tarball()}: ${untar.stderr}`);
  symlinkSync('../herald/bin/herald.js', path.join(modules, '.bin', 'herald'));
  chmodSync(path.join(herald, 'bin/herald.js'), 0o755);
  return dir;
}
