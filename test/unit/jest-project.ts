/**
 * Builds throw-away jest projects of consumer tests (inside the repository, so node_modules
 * resolves) and runs real jest on them: the way users run Herald.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../..');

export interface JestProject {
  readonly dir: string;
  readonly contractsDir: string;
  write(relative: string, text: string): void;
  remove(relative: string): void;
  jest(...args: string[]): Promise<{ stdout: string; stderr: string }>;
  dispose(): void;
}

/**
 * A project in .herald-tmp/<name>, emptied first. `name` must be unique among the suites (they run
 * side by side). The path stays the same from run to run, so jest's transform cache, keyed on the
 * project's configuration, keeps Herald's transpiled sources for the next run.
 */
export function jestProject(name: string): JestProject {
  const dir = path.join(REPO, '.herald-tmp', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const contractsDir = path.join(dir, 'contracts');
  const config = {
    rootDir: dir,
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(REPO, 'tsconfig.json') }] },
    moduleNameMapper: { '^herald$': path.join(REPO, 'src/index.ts'), '^herald/jest$': path.join(REPO, 'src/jest/index.ts') },
    globalSetup: path.join(REPO, 'src/jest/global-setup.ts'),
    globalTeardown: path.join(REPO, 'src/jest/global-teardown.ts'),
    testMatch: ['<rootDir>/tests/**/*.test.ts'],
  };
  writeFileSync(path.join(dir, 'jest.config.json'), JSON.stringify(config, null, 2));
  return {
    dir,
    contractsDir,
    write(relative, text) {
      mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
      writeFileSync(path.join(dir, relative), text);
    },
    remove(relative) {
      rmSync(path.join(dir, relative), { force: true });
    },
    jest: (...args) =>
      run(process.execPath, [path.join(REPO, 'node_modules/jest/bin/jest.js'), '--config', 'jest.config.json', '--ci', ...args], {
        cwd: dir,
        env: { ...process.env, HERALD_CONTRACTS_DIR: contractsDir, HERALD_RUN_MODE: '', HERALD_RUN_LEDGER: '' },
        maxBuffer: 64 * 1024 * 1024,
      }),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A consumer test file declaring `count` interactions for shipping → orders. */
export function consumerTestFile(prefix: string, count: number): string {
  return `import { consumer, kafkaTopic, m } from 'herald';
const pair = consumer('shipping').expectsFrom('orders');
describe('${prefix}', () => {
  for (let i = 0; i < ${count}; i++) {
    it('handles ${prefix} message ' + i, async () => {
      await pair.message('${prefix} message ' + i).on(kafkaTopic('orders.v1')).withKey(m.uuid())
        .withPayload({ n: m.integer(i), sku: m.regex(/^[A-Z]{3}-\\d+$/, 'ABC-' + i), tags: m.eachLike('t') })
        .verify((message) => { if (message.payload.sku.length < 5) throw new Error('bad sku'); });
    });
  }
});
`;
}
