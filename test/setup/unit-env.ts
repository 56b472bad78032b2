// Unit tests never write into the repository's contracts/: each worker gets its own directory.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

process.env['HERALD_CONTRACTS_DIR'] = mkdtempSync(path.join(os.tmpdir(), 'herald-unit-contracts-'));
// Progress lines depend on how long a run takes on a loaded machine: off unless a test sets them (verify-progress.integration.test.ts).
process.env['HERALD_PROGRESS_INTERVAL_MS'] ??= '0';
