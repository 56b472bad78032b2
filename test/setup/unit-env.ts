// Unit tests never write into the repository's contracts/: each worker gets its own directory.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

process.env['HERALD_CONTRACTS_DIR'] = mkdtempSync(path.join(os.tmpdir(), 'herald-unit-contracts-'));
