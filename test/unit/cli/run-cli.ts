/** Runs the real CLI (`node bin/herald.js …`) from the repository root, as a user would. */
import { execFile } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
export const BIN = path.join(ROOT, 'bin', 'herald.js');
/** Fixture paths relative to ROOT, as the CLI prints them. */
export const CONTRACTS = 'test/unit/cli/fixtures/contracts';
export const BAD_CONTRACTS = 'test/unit/cli/fixtures/bad';
export const FACTORIES = 'test/unit/cli/fixtures/factories';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const ANSI = /\u001b\[[0-9;]*m/;

/** Runs herald with `args`; colour variables are cleared unless `env` sets them. */
export function herald(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliRun> {
  const base: Record<string, string | undefined> = { ...process.env };
  delete base['NO_COLOR'];
  delete base['FORCE_COLOR'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...base, ...env }, timeout: 90_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') {
        reject(new Error(`herald ${args.join(' ')} did not exit normally (${String(error.code ?? error.signal)}): ${stderr}`, { cause: error }));
        return;
      }
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

/** The last non-empty line of a text. */
export function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

/** Runs `herald verify` with `args`. */
export function verify(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliRun> {
  return herald(['verify', ...args], env);
}
