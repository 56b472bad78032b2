/**
 * The public API, entry by entry: the sorted export names (values and types) of every subpath in
 * package.json `exports`. An accidental export change fails here; a deliberate one updates the
 * snapshot (`npx jest test/unit/entries.test.ts --selectProjects unit -u`) in the same commit.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');

/** Subpath → source module. jest.config.js, tsconfig.json and scripts/build.js carry the same map. */
const ENTRIES: Readonly<Record<string, string>> = {
  '.': 'src/index.ts',
  './jest': 'src/jest/index.ts',
  './jest/global-setup': 'src/jest/global-setup.ts',
  './jest/global-teardown': 'src/jest/global-teardown.ts',
  './kafka': 'adapters/kafka/index.ts',
  './amqp': 'adapters/amqp/index.ts',
  './compliance': 'src/transport/compliance/index.ts',
  './adapter-kit': 'src/adapter-kit.ts',
  './avro': 'src/avro/index.ts',
  './bidirectional': 'src/bidirectional.ts',
  './platformatic-kafka': 'adapters/platformatic-kafka/index.ts',
  './broker': 'src/contract-broker/index.ts',
};
/** Plain JavaScript, `module.exports =` one class: nothing to list. */
const NOT_LISTED = new Set(['./jest/environment', './package.json']);

function exportNames(program: ts.Program, file: string): string[] {
  const source = program.getSourceFile(path.join(ROOT, file));
  if (source === undefined) throw new Error(`${file} is not in the program`);
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) throw new Error(`${file} is not a module`);
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return target.flags & ts.SymbolFlags.Value ? symbol.name : `type ${symbol.name}`;
    })
    .sort((a, b) => a.replace(/^type /, '').localeCompare(b.replace(/^type /, '')));
}

describe('public entries', () => {
  const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, ROOT);
  const program = ts.createProgram(
    Object.values(ENTRIES).map((file) => path.join(ROOT, file)),
    { ...config.options, noEmit: true },
  );

  it('lists every subpath of package.json exports', () => {
    expect(
      Object.keys(packageJson.exports)
        .filter((subpath) => !NOT_LISTED.has(subpath))
        .sort(),
    ).toEqual(Object.keys(ENTRIES).sort());
  });

  it('uses no `export *` in a public entry', () => {
    const starred = Object.values(ENTRIES).filter((file) => /^export (type )?\* from/m.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(starred).toEqual([]);
  });

  it('keeps the root entry to what consumer and provider teams use (a few dozen values)', () => {
    const values = exportNames(program, ENTRIES['.'] ?? '').filter((name) => !name.startsWith('type '));
    expect(values.length).toBeLessThanOrEqual(48);
  });

  it.each(Object.keys(ENTRIES))('exports the same names from %s', (subpath) => {
    expect(exportNames(program, ENTRIES[subpath] ?? '')).toMatchSnapshot();
  });
});
