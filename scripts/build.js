#!/usr/bin/env node
// The package build (npm run build, run by prepack): CommonJS and declarations from tsc into
// dist/cjs/, then dist/esm/: one thin ES module per public entry re-exporting the CommonJS build
// by name. One copy of Herald per process whichever way it is loaded (no dual-package state: the
// contracts a test declares and the ones written are the same registry), and `require()`s that
// load commands and peers lazily stay lazy.
'use strict';
const { spawnSync } = require('node:child_process');
const { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

/** Public entries: subpath → source module (without extension), relative to the root. */
const ENTRIES = {
  index: 'src/index',
  'jest/index': 'src/jest/index',
  'jest/environment': 'src/jest/environment',
  'jest/global-setup': 'src/jest/global-setup',
  'jest/global-teardown': 'src/jest/global-teardown',
  'kafka/index': 'adapters/kafka/index',
  'amqp/index': 'adapters/amqp/index',
  'platformatic-kafka/index': 'adapters/platformatic-kafka/index',
  'compliance/index': 'src/transport/compliance/index',
  'broker/index': 'src/contract-broker/index',
  'adapter-kit/index': 'src/adapter-kit',
  'avro/index': 'src/avro/index',
  'bidirectional/index': 'src/bidirectional',
};
/** Entries whose only export is a default export (jest loads them by path). */
const DEFAULT_ONLY = new Set(['jest/environment', 'jest/global-setup', 'jest/global-teardown']);

rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

// The jest environment is plain JavaScript (jest loads it with require()); its types are written here.
copyFileSync(path.join(root, 'src/jest/environment.js'), path.join(dist, 'cjs/src/jest/environment.js'));
writeFileSync(
  path.join(dist, 'cjs/src/jest/environment.d.ts'),
  [
    '/** jest test environment: Node with `Symbol.dispose` / `Symbol.asyncDispose` shared into the test realm. Use as `testEnvironment: "herald/jest/environment"`. */',
    'declare class HeraldNodeEnvironment {',
    '  constructor(config: unknown, context: unknown);',
    '}',
    'export = HeraldNodeEnvironment;',
    '',
  ].join('\n'),
);

// The manifest src/cli/module-cache.ts reads: Herald's modules (their relative require()s resolve
// from it) and the dependencies whose modules the installed CLI compiles with its V8 code cache
// (not tsx: it is loaded only for TypeScript, and brings its own loaders).
const modules = readdirSync(path.join(dist, 'cjs'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.js'))
  .map((file) => file.split(path.sep).join('/'))
  .sort();
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const dependencies = Object.keys(packageJson.dependencies ?? {}).filter((name) => name !== 'tsx');
// Node loads the modules as CommonJS when the package says so and no package.json inside dist/cjs
// says otherwise; the installed CLI then skips Node's package scope lookup for each of them.
const nested = readdirSync(path.join(dist, 'cjs'), { recursive: true, encoding: 'utf8' }).some((file) => path.basename(file) === 'package.json');
const format = packageJson.type === 'commonjs' && !nested ? { format: 'commonjs' } : {};
writeFileSync(path.join(dist, 'cjs', 'modules.json'), `${JSON.stringify({ files: modules, dependencies, ...format })}\n`);

for (const [entry, source] of Object.entries(ENTRIES)) {
  const file = path.join(dist, 'esm', `${entry}.mjs`);
  mkdirSync(path.dirname(file), { recursive: true });
  const target = path
    .relative(path.dirname(file), path.join(dist, 'cjs', `${source}.js`))
    .split(path.sep)
    .join('/');
  const specifier = target.startsWith('.') ? target : `./${target}`;
  const header = `// ESM entry for herald/${entry.replace(/\/?index$/, '')}: re-exports the CommonJS build (scripts/build.js).\n`;
  if (DEFAULT_ONLY.has(entry)) {
    const isClass = entry === 'jest/environment';
    writeFileSync(file, `${header}import cjs from '${specifier}';\nexport default ${isClass ? 'cjs' : 'cjs.default'};\n`);
    writeFileSync(
      file.replace(/\.mjs$/, '.d.mts'),
      isClass
        ? `import HeraldNodeEnvironment = require('${specifier}');\nexport default HeraldNodeEnvironment;\n`
        : `import cjs = require('${specifier}');\ndeclare const _default: typeof cjs.default;\nexport default _default;\n`,
    );
    continue;
  }
  const names = Object.keys(require(path.join(dist, 'cjs', source)))
    .filter((name) => name !== '__esModule' && name !== 'default')
    .sort();
  writeFileSync(file, `${header}import cjs from '${specifier}';\nexport const {\n${names.map((n) => `  ${n},`).join('\n')}\n} = cjs;\n`);
  writeFileSync(file.replace(/\.mjs$/, '.d.mts'), `export * from '${specifier}';\n`);
}
console.log(`herald: built dist/ (${Object.keys(ENTRIES).length} entries, CommonJS + ESM)`);
