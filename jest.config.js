// Jest projects, by cost: unit (co-located, no processes), integration (*.integration.test.ts: spawns processes or uses PostgreSQL), examples (consumer tests that write contracts/),
// conformance (Pact's matching corpus), package (the packed tarball in scratch projects), interop (pact-js
// reads Herald's files), differential (Herald's verdicts against pact-js' Rust verifier on pacts pact-js
// writes), containers (real brokers), browser (the broker's web page in chromium).
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };
const moduleNameMapper = {
  '^herald$': '<rootDir>/src/index.ts',
  '^herald/jest$': '<rootDir>/src/jest/index.ts',
  '^herald/kafka$': '<rootDir>/adapters/kafka/index.ts',
  '^herald/amqp$': '<rootDir>/adapters/amqp/index.ts',
  '^herald/platformatic-kafka$': '<rootDir>/adapters/platformatic-kafka/index.ts',
  '^herald/compliance$': '<rootDir>/src/transport/compliance/index.ts',
  '^herald/broker$': '<rootDir>/src/contract-broker/index.ts',
  '^herald/adapter-kit$': '<rootDir>/src/adapter-kit.ts',
  '^herald/avro$': '<rootDir>/src/avro/index.ts',
  '^herald/bidirectional$': '<rootDir>/src/bidirectional.ts',
};
const base = { transform, moduleNameMapper, testEnvironment: '<rootDir>/src/jest/environment.js', rootDir: __dirname };

module.exports = {
  // A hang guard, not a speed check (jest reads it for the whole run, not per project): scripts/test.js
  // runs cores + 1 workers beside tsc and eslint, and on a loaded 2-core machine a test that parses
  // AsyncAPI documents (src/compare/usage-rule.test.ts) took over jest's default 5 s.
  testTimeout: 30_000,
  projects: [
    {
      ...base,
      displayName: 'unit',
      setupFiles: ['<rootDir>/test/setup/unit-env.ts'],
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/adapters/**/*.test.ts', '<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/fuzz/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.container\\.test\\.ts$', '\\.integration\\.test\\.ts$'],
    },
    // Tests that spawn processes (jest, the CLI, the Pact CLI, pact-js's verifier) or use the native PostgreSQL.
    {
      ...base,
      displayName: 'integration',
      setupFiles: ['<rootDir>/test/setup/unit-env.ts'],
      testMatch: ['<rootDir>/src/**/*.integration.test.ts', '<rootDir>/adapters/**/*.integration.test.ts', '<rootDir>/test/**/*.integration.test.ts'],
    },
    {
      ...base,
      displayName: 'examples',
      testMatch: ['<rootDir>/examples/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.container\\.test\\.ts$'],
      globalSetup: '<rootDir>/src/jest/global-setup.ts',
      globalTeardown: '<rootDir>/src/jest/global-teardown.ts',
    },
    { ...base, displayName: 'conformance', testMatch: ['<rootDir>/test/conformance/**/*.test.ts'] },
    { ...base, displayName: 'interop', testMatch: ['<rootDir>/test/interop/**/*.test.ts'] },
    { ...base, displayName: 'differential', testMatch: ['<rootDir>/test/differential/**/*.test.ts'] },
    // The packed tarball installed into scratch projects (test/package/scratch.ts): packs once per run.
    { ...base, displayName: 'package', testMatch: ['<rootDir>/test/package/*.test.ts'], globalSetup: '<rootDir>/test/package/global-setup.ts' },
    { ...base, displayName: 'containers', testMatch: ['<rootDir>/**/*.container.test.ts'], testPathIgnorePatterns: ['/node_modules/'] },
    // The broker's web page in Debian's chromium (playwright-core); fails when chromium is missing.
    { ...base, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.test.ts'] },
  ],
};
