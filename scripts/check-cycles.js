#!/usr/bin/env node
// Folder cycles (run by `npm run lint`): builds the graph of folders under src/ and adapters/ from
// the imports of their non-test files and fails on every cycle, printing the file-level import
// edges that make it. A folder is the first level under src/ or adapters/ (src/verify/broker is
// part of verify); the files directly in src/ are the public entries, folder "src".
// Usage: node scripts/check-cycles.js [root]   (root defaults to the repository)
'use strict';
const { readdirSync, readFileSync, statSync, existsSync } = require('node:fs');
const path = require('node:path');

const SOURCE_DIRS = ['src', 'adapters'];
/** Test files, fixtures and type tests are not part of the dependency structure. */
const IGNORED = /(\.test\.ts|\.d\.ts)$|\/__fixtures__\/|\/fixtures\//;
/**
 * Known file-level edges left out of the graph, each with its reason; every other edge counts.
 * contract/reader.ts validates a contract's matching rules with the matcher registry (matchers build
 * on contract's model): splitting rule validation out of the reader is still to do.
 * adapters/kafka/client.ts loads the @platformatic/kafka transport lazily for `createKafkaTransport`,
 * which builds on kafka's errors and liveness: moving those into adapter-kit is still to do.
 */
const ALLOWED = [
  { from: 'src/contract/reader.ts', to: 'src/matchers/' },
  { from: 'adapters/kafka/client.ts', to: 'adapters/platformatic-kafka/' },
];
/** `import … from '…'`, `export … from '…'`, `import '…'`, `require('…')`, `import('…')`. */
const IMPORT = /(?:^|[\s;{}])(?:import|export)\s+(type\s+)?(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]|(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g;

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(file).isDirectory()) return listFiles(file);
    return /\.(ts|js)$/.test(name) ? [file] : [];
  });
}

/** Resolves a relative specifier (or a `herald/…` self-reference, via tsconfig paths) to a file. */
function resolve(root, from, specifier, paths) {
  let base;
  if (specifier.startsWith('.')) base = path.resolve(path.dirname(from), specifier);
  else if (paths[specifier] !== undefined) base = path.resolve(root, paths[specifier]);
  else return undefined;
  for (const candidate of [base, `${base}.ts`, `${base}.js`, path.join(base, 'index.ts'), path.join(base, 'index.js')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function folderOf(root, file) {
  const parts = path.relative(root, file).split(path.sep);
  if (!SOURCE_DIRS.includes(parts[0] ?? '')) return undefined;
  return parts.length <= 2 ? parts[0] : `${parts[0]}/${parts[1]}`;
}

function tsconfigPaths(root) {
  const file = path.join(root, 'tsconfig.json');
  if (!existsSync(file)) return {};
  // tsconfig.json may hold comments: the paths block alone is plain JSON in this repository.
  const match = /"paths"\s*:\s*(\{[^}]*\})/.exec(readFileSync(file, 'utf8'));
  if (match === null) return {};
  const paths = JSON.parse(match[1]);
  return Object.fromEntries(Object.entries(paths).map(([name, targets]) => [name, targets[0]]));
}

/** The folder graph: folder → folder → file-level edges ("a.ts → b.ts"). */
function folderGraph(root, allowed = ALLOWED) {
  const paths = tsconfigPaths(root);
  const graph = new Map();
  for (const dir of SOURCE_DIRS) {
    for (const file of listFiles(path.join(root, dir))) {
      const relative = path.relative(root, file).split(path.sep).join('/');
      if (IGNORED.test(`/${relative}`)) continue;
      const from = folderOf(root, file);
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(IMPORT)) {
        const specifier = match[2] ?? match[3];
        const target = specifier === undefined ? undefined : resolve(root, file, specifier, paths);
        if (target === undefined) continue;
        const to = folderOf(root, target);
        if (to === undefined || to === from) continue;
        const targetPath = path.relative(root, target).split(path.sep).join('/');
        if (allowed.some((edge) => relative === edge.from && targetPath.startsWith(edge.to))) continue;
        const edges = graph.get(from) ?? new Map();
        graph.set(from, edges);
        const files = edges.get(to) ?? [];
        edges.set(to, files);
        const edge = `${relative} → ${targetPath}${match[1] ? ' (type)' : ''}`;
        if (!files.includes(edge)) files.push(edge);
      }
    }
  }
  return graph;
}

/** Strongly connected components of more than one folder (Tarjan). */
function cycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of (graph.get(node) ?? new Map()).keys()) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node), index.get(to)));
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** Each cycle as text: its folders, then every folder edge inside it with the imports that make it. */
function checkCycles(root, allowed = ALLOWED) {
  const graph = folderGraph(root, allowed);
  return cycles(graph).map((component) => {
    const lines = [`cycle between ${component.join(', ')}:`];
    for (const from of component) {
      for (const [to, edges] of [...(graph.get(from) ?? new Map()).entries()].sort()) {
        if (!component.includes(to)) continue;
        lines.push(`  ${from} → ${to}`, ...edges.sort().map((edge) => `    ${edge}`));
      }
    }
    return lines.join('\n');
  });
}

module.exports = { checkCycles, folderGraph };

if (require.main === module) {
  const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..'));
  const found = checkCycles(root);
  if (found.length === 0) {
    console.log('check-cycles: no cycles between the folders of src/ and adapters/');
  } else {
    console.error(`check-cycles: ${found.length} folder cycle(s). Move the shared code to the lower folder, or import a type from where it is defined.\n\n${found.join('\n\n')}`);
    process.exit(1);
  }
}
