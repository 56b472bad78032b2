/**
 * Every fenced block of README.md and docs/*.md a user would copy is checked against what CI runs:
 * each `herald …` command line parses with that command's real option table (and, for verify and
 * contract-test, its full argument checks), `npm run` names an existing script, and a script or
 * file a command names exists. Code blocks name the file they are an excerpt of (a link above, or a
 * `// path` first line) and each of their lines stands in it; README's own are checked by
 * readme-snippets.test.ts and readme-setup.test.ts. A new block that nothing checks fails here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseOptions, type OptionTable } from '../../src/cli/args';
import { ASYNCAPI_OPTIONS } from '../../src/cli/asyncapi-command';
import { OPTIONS as BROKER_OPTIONS } from '../../src/cli/broker-command';
import { CAN_I_DEPLOY_OPTIONS } from '../../src/cli/can-i-deploy-command';
import { COMPARE_OPTIONS } from '../../src/cli/compare-command';
import { OPTIONS as CONTRACT_TEST_OPTIONS, parseContractTestArgs } from '../../src/cli/contract-test-command';
import { DIFF_OPTIONS } from '../../src/cli/diff-command';
import { ENVIRONMENTS_OPTIONS } from '../../src/cli/environments-command';
import { COMMANDS } from '../../src/cli/main';
import { PUBLISH_OPTIONS } from '../../src/cli/publish-command';
import { RECORD_OPTIONS } from '../../src/cli/record-command';
import { parseVerifyArgs, VERIFY_OPTIONS } from '../../src/cli/verify-command';

const ROOT = path.resolve(__dirname, '../..');
const DOCS = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

const TABLES: Readonly<Record<string, OptionTable>> = {
  verify: VERIFY_OPTIONS,
  compare: COMPARE_OPTIONS,
  diff: DIFF_OPTIONS,
  asyncapi: ASYNCAPI_OPTIONS,
  broker: BROKER_OPTIONS,
  'contract-test': CONTRACT_TEST_OPTIONS,
  publish: PUBLISH_OPTIONS,
  'can-i-deploy': CAN_I_DEPLOY_OPTIONS,
  'record-deployment': RECORD_OPTIONS,
  'record-release': RECORD_OPTIONS,
  environments: ENVIRONMENTS_OPTIONS,
};

/** Arguments a command takes before its options (diff: the two specs; publish: the contracts directory). */
const POSITIONALS: Readonly<Record<string, number>> = { diff: 2, publish: 1 };

interface Block {
  readonly file: string;
  readonly line: number;
  readonly lang: string;
  readonly body: string;
  /** The text between the previous block and this one. */
  readonly before: string;
}

function blocks(file: string): Block[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const out: Block[] = [];
  let previousEnd = 0;
  for (const match of text.matchAll(/^[ \t]*```(\S*)[ \t]*\n([\s\S]*?)^[ \t]*```[ \t]*$/gm)) {
    const body = (match[2] as string).replace(/^ {2}/gm, (indent) => (match[0].startsWith('  ') ? '' : indent));
    out.push({ file, line: text.slice(0, match.index).split('\n').length, lang: match[1] as string, body, before: text.slice(previousEnd, match.index) });
    previousEnd = (match.index ?? 0) + match[0].length;
  }
  return out;
}

const ALL = DOCS.flatMap(blocks);
const where = (b: Block): string => `${b.file}:${b.line}`;
/** A block's name in the lists below: its file and first line (stable when lines above it change). */
const key = (b: Block): string =>
  `${b.file}: ${
    b.body
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? ''
  }`;

/** Shell words of one command line: quotes removed, `$VAR` / `"$VAR"` replaced by a sample value. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const match of line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) {
    const word = match[1] ?? match[2] ?? match[3] ?? '';
    out.push(word.replace(/\$\{?([A-Z_]+)\}?/g, (_, name: string) => (name.endsWith('URL') ? 'http://localhost:9292' : `${name.toLowerCase()}-1`)));
  }
  return out;
}

/** The command lines of a shell block: continuations joined, comments and `$ ` prompts removed, `&&` split. */
function commandLines(block: Block): string[] {
  const console = block.lang === 'console';
  const lines = block.body
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((l) => !console || l.startsWith('$ '))
    .map((l) => (console ? l.slice(2) : l).replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l !== '');
  return lines.flatMap((l) => l.split(/\s&&\s/).map((c) => c.trim()));
}

/** Checks one command line; returns what is wrong, or undefined. */
function checkCommand(line: string, env: Readonly<Record<string, string>> = {}): string | undefined {
  const argv = words(line.replace(/^npx (--no-install )?/, ''));
  const [tool, ...rest] = argv;
  if (tool === 'herald') {
    const [command, ...args] = rest;
    if (command === undefined || !Object.hasOwn(COMMANDS, command)) return `unknown herald command ${String(command)}`;
    try {
      if (command === 'verify') parseVerifyArgs(args, env);
      else if (command === 'contract-test') parseContractTestArgs(args, env);
      else if (command === 'environments') parseOptions(`herald ${command}`, args.slice(['list', 'create'].includes(args[0] ?? '') ? 1 : 0), TABLES[command] ?? {});
      else parseOptions(`herald ${command}`, args.slice(POSITIONALS[command] ?? 0), TABLES[command] ?? {});
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    return undefined;
  }
  if (tool === 'npm') {
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    if (rest[0] === 'run' && !Object.hasOwn(scripts, rest[1] ?? '')) return `no npm script ${String(rest[1])}`;
    if (rest[0] === 'test' && scripts['test'] === undefined) return 'no npm test script';
    return ['run', 'test', 'ci', 'install'].includes(rest[0] ?? '') ? undefined : `unchecked npm ${String(rest[0])}`;
  }
  // A script of this repository, run directly, through bash or eval "$(…)".
  const script = tool === 'bash' ? rest[0] : tool === 'eval' ? /\$\(([^)\s]+)/.exec(line)?.[1] : tool;
  if (script !== undefined && /^(scripts|examples)\//.test(script)) return existsSync(path.join(ROOT, script)) ? undefined : `no file ${script}`;
  if (tool === 'export') return undefined;
  if (tool === 'jest') return checkJest(rest);
  // The Pact CLI, shown as the client Herald's broker answers (docs/broker.md): not Herald's to run.
  if (tool === 'pact-broker') return undefined;
  return `unchecked command ${String(tool)}`;
}

/** `jest <paths> --selectProjects <name>`: the paths exist and the project is one of jest.config.js's. */
function checkJest(args: readonly string[]): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the config is CommonJS
  const config = require(path.join(ROOT, 'jest.config.js')) as { projects: { displayName: string }[] };
  const projects = new Set(config.projects.map((p) => p.displayName));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--selectProjects') {
      const name = args[++i] ?? '';
      if (!projects.has(name)) return `no jest project ${name}`;
    } else if (!arg.startsWith('-') && !existsSync(path.join(ROOT, arg))) return `no path ${arg}`;
  }
  return undefined;
}

/** The file a code block is an excerpt of: a link just above it, or a `// path` first line. */
function sourceOf(block: Block): string | undefined {
  const first = /^\s*\/\/ ((?:examples|src|test|adapters)\/\S+\.\w+)/.exec(block.body)?.[1];
  if (first !== undefined) return first;
  const paragraph = block.before.split(/\n\s*\n/).at(-1) ?? '';
  return [...paragraph.matchAll(/\]\(\.{0,2}\/?((?:examples|src|test|adapters)\/[^)#\s]+\.\w+)\)/g)].at(-1)?.[1];
}

/** A line as compared: trimmed, without a trailing `// comment` (blocks annotate what files do not). */
const bare = (line: string): string => line.replace(/\s+\/\/ .*$/, '').trim();

/** Lines of a code block missing from its source file (`// …` elisions and blank lines skipped). */
function missingLines(block: Block, source: string): string[] {
  const file = readFileSync(path.join(ROOT, source), 'utf8');
  const lines = new Set(file.split('\n').map(bare));
  return block.body
    .split('\n')
    .map(bare)
    .filter((l) => l !== '' && !/^\/\/ (…|\.\.\.)$/.test(l) && !l.startsWith(`// ${source}`) && !lines.has(l));
}

const SHELL = new Set(['sh', 'bash', 'console']);
const isSynopsis = (b: Block): boolean => b.lang === '' && /^herald \S+ .*(<|\[)/.test(b.body);
const isCode = (b: Block): boolean => ['ts', 'js', 'json'].includes(b.lang);

/**
 * Code blocks not yet an excerpt of a file CI runs: signatures, fragments and shapes written for the
 * page. The list may only shrink: a new block must name its source (or be added here with a reason).
 */
const NOT_EXCERPTS = new Set([
  'docs/avro.md: "comments": { "herald": { "avro": {', // the herald.avro block's shape, annotated
  'docs/avro.md: decodeAvroMessage(bytes: Uint8Array, interaction: MessageInteraction, options?: { registry?: SchemaRegistryOption; where?: string }): Promise<DecodedAvroMessage>', // a function signature
  'docs/avro.md: await using registry = await startSchemaRegistry();        // { port?, host?, compatibility?, auth? }', // startSchemaRegistry options, annotated
  "docs/avro.md: const registry = { url: 'http://schema-registry:8081' };", // the registry option's forms
  'docs/bidirectional.md: "comments": { "herald": { "usage": { "payload": ["$.available"], "headers": [], "key": true } } }', // the herald.usage block's shape
  "docs/broker-client.md: import { verifyProviderInJest } from 'herald/jest';", // verifyProviderInJest with a broker source, sketched
  'docs/broker.md: {', // a webhook's JSON body, as POST /webhooks takes it
  "docs/bidirectional.md: import { compareContracts, diffSpecs, contractsToAsyncApi, loadSpec, usageOf } from 'herald/bidirectional';", // library calls, sketched
  "docs/broker.md: import { startContractBroker } from 'herald/broker';", // startContractBroker, sketched
  'docs/request-reply.md: {', // a contract's shape
  'docs/request-reply.md: "comments": { "herald": { "flow": {', // the herald.flow block's shape, condensed
  "docs/request-reply.md: const authorise = consumer('push-client').expectsFrom('push-server')", // the DSL, sketched
  "docs/request-reply.md: export default provider('push-server', {", // a provider, sketched
  'docs/request-reply.md: const client = new AmqpRequestReplyClient({ url: broker.url }); // herald/amqp', // the client, sketched
  "docs/transports.md: import { BrokerTransport, BufferedCapture, HandlerSubscription, type DeliveryHandler, type OutgoingMessage } from 'herald/adapter-kit';", // an adapter skeleton
  'docs/transports.md: const report = await verifyProviderOnBroker(contracts, triggers, {', // verifyProviderOnBroker options
]);

describe('snippets in README.md and docs/', () => {
  it('finds the blocks', () => {
    expect(ALL.filter((b) => SHELL.has(b.lang)).length).toBeGreaterThanOrEqual(10);
  });

  const shell = ALL.filter((b) => SHELL.has(b.lang));
  it.each(shell.map((b) => [where(b), b] as const))('every command in the shell block at %s is one CI can run as written', (_where, block) => {
    // `export NAME=value` lines set the environment of the commands after them, as in the shell.
    const env: Record<string, string> = {};
    const problems = commandLines(block).flatMap((line) => {
      const exported = /^export ([A-Z_][A-Z0-9_]*)=(\S+)$/.exec(line);
      if (exported?.[1] !== undefined && exported[2] !== undefined) env[exported[1]] = exported[2];
      const problem = checkCommand(line, env);
      return problem === undefined ? [] : [`${line}\n  → ${problem}`];
    });
    expect(problems).toEqual([]);
  });

  it.each(ALL.filter(isSynopsis).map((b) => [where(b), b] as const))('every option in the synopsis at %s is one the command takes', (_where, block) => {
    const [, command] = /^herald (\S+)/.exec(block.body) ?? [];
    const table = TABLES[command ?? ''] ?? {};
    const unknown = [...block.body.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1] as string).filter((name) => !Object.hasOwn(table, name));
    expect(unknown).toEqual([]);
  });

  const docCode = ALL.filter((b) => b.file !== 'README.md' && isCode(b));
  it('every other code block in docs/ is an excerpt of the file it names', () => {
    const problems = docCode
      .filter((b) => !NOT_EXCERPTS.has(key(b)))
      .flatMap((b) => {
        const source = sourceOf(b);
        if (source === undefined) return [`${where(b)}: names no source file (a link above it, or a "// path" first line)`];
        const missing = missingLines(b, source);
        return missing.length === 0 ? [] : [`${where(b)}: not in ${source}: ${missing.join(' | ')}`];
      });
    expect(problems).toEqual([]);
  });

  it('lists as not-yet-excerpts only blocks that exist and name no source', () => {
    const named = docCode.filter((b) => NOT_EXCERPTS.has(key(b)));
    expect(named.map(key).sort()).toEqual([...NOT_EXCERPTS].sort());
  });
});
