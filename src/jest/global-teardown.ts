/**
 * jest `globalTeardown`: after a full run, drops interactions of test files that no longer exist
 * and of test files that ran without declaring anything for that pair any more.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { pruneContracts } from '../contract/store';
import { defaultContractsDir, RUN_ENV } from '../dsl/session';

interface LedgerEntry {
  readonly owner: string;
  readonly files: readonly string[];
}

async function readLedger(dir: string): Promise<LedgerEntry[]> {
  if (!existsSync(dir)) return [];
  const names = await fs.readdir(dir);
  return Promise.all(names.map(async (n) => JSON.parse(await fs.readFile(path.join(dir, n), 'utf8')) as LedgerEntry));
}

export default async function heraldGlobalTeardown(): Promise<void> {
  const ledgerDir = process.env[RUN_ENV.ledger];
  if (ledgerDir === undefined) return;
  try {
    if (process.env[RUN_ENV.mode] !== 'full') return;
    const entries = await readLedger(ledgerDir);
    const ran = new Map(entries.map((e) => [e.owner, new Set(e.files)]));
    const dirs = new Set([defaultContractsDir(), ...entries.flatMap((e) => e.files.map((f) => path.dirname(f)))]);
    const files: string[] = [];
    for (const dir of dirs) {
      if (!existsSync(dir)) continue;
      for (const name of (await fs.readdir(dir)).sort()) if (name.endsWith('.json')) files.push(path.join(dir, name));
    }
    await pruneContracts(files, ran, process.cwd());
  } finally {
    await fs.rm(ledgerDir, { recursive: true, force: true });
  }
}
