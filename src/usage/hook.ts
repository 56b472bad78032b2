/**
 * The field-usage hook of the consumer DSL's `verify()`: instrument the example, run the handler,
 * collect what it read into the interaction's `herald.usage`. Declared fields that no handler read
 * are printed once per test file (jest afterAll), or fail the test in strict mode.
 *
 * Several `verify()` calls of one interaction in a test file add up: the usage written is the
 * union of what their handlers read (and the warning is computed from that union).
 */
import type { GeneratorJson, MessageInteraction } from '../contract/model';
import { identityOf } from '../contract/serialize';
import type { ReceivedMessage } from '../contract/received';
import { HeraldError } from '../errors/herald-error';
import { installCloneSupport } from './clone';
import { declaredPayload } from './declared';
import { UsageTracker } from './track';
import { declaresKey, describeFields, noneUnused, unusedFields, usageJson, type FieldUsage, type UnusedFields } from './usage';

/** Options of `verify(handler, options)` in the consumer DSL. */
export interface VerifyHandlerOptions {
  /** Record which fields the handler reads into `herald.usage` (default true; HERALD_USAGE=off turns it off). */
  readonly usage?: boolean;
  /** Fail the test when declared fields are never read (default: HERALD_STRICT_USAGE=1). */
  readonly strictUsage?: boolean;
  /** Receives this run's usage report. */
  readonly onUsage?: (report: UsageReport) => void;
}

/** What one handler run read, and what it did not. */
export interface UsageReport {
  readonly consumer: string;
  readonly provider: string;
  readonly interaction: string;
  readonly usage: FieldUsage;
  /** Declared but never read by this run's handler. */
  readonly unused: UnusedFields;
  /** Read by the handler but not declared (the handler got `undefined`). */
  readonly undeclared: { readonly payload: readonly string[]; readonly headers: readonly string[]; readonly key: boolean };
}

export const USAGE_ENV = { enabled: 'HERALD_USAGE', strict: 'HERALD_STRICT_USAGE', warnings: 'HERALD_USAGE_WARNINGS' } as const;

const off = (value: string | undefined): boolean => value !== undefined && /^(?:0|off|false|no)$/i.test(value.trim());
const on = (value: string | undefined): boolean => value !== undefined && /^(?:1|on|true|yes)$/i.test(value.trim());

/** Random generators give the handler their declared example instead: usage must not vary run to run. */
const RANDOM_GENERATORS: ReadonlySet<string> = new Set(['RandomInt', 'RandomDecimal', 'RandomBoolean', 'RandomString', 'RandomHexadecimal']);

/**
 * The generator a usage-recording run applies: random values are replaced by the declared example
 * (a `Regex` generator keeps the example), so branches on them, and so the usage, are reproducible.
 * UUIDs, dates and provider-state values are generated as usual.
 */
export function stableGenerator(g: GeneratorJson): GeneratorJson {
  return RANDOM_GENERATORS.has(g.type) ? { type: 'Regex' } : g;
}

interface Accumulated {
  readonly consumer: string;
  readonly provider: string;
  readonly interaction: MessageInteraction;
  /** Shared by every recorded version of the interaction, so that re-recording it is not a conflict. */
  readonly usage: { payload: string[]; headers: string[]; key: boolean };
}

/** owner → accumulated usage by interaction. */
const accumulated = new Map<string, Map<string, Accumulated>>();

export interface UsageRun {
  /** False when usage recording is off: the handler gets the plain message. */
  readonly enabled: boolean;
  /** Instruments the message for the handler. */
  instrument<P, H, K, Props>(message: ReceivedMessage<P, H, K, Props>): ReceivedMessage<P, H, K, Props>;
  /** Stops recording; the interaction to record (with `herald.usage`) and a strict-mode failure, if any. */
  finish(): { readonly interaction: MessageInteraction; readonly failure?: HeraldError };
}

/** Starts recording one handler run of `interaction`. */
export function startUsage(interaction: MessageInteraction, consumer: string, provider: string, options: VerifyHandlerOptions = {}): UsageRun {
  const enabled = options.usage ?? !off(process.env[USAGE_ENV.enabled]);
  if (!enabled) {
    return { enabled, instrument: (message) => message, finish: () => ({ interaction }) };
  }
  const tracker = new UsageTracker(declaredPayload(interaction));
  let release: (() => void) | undefined;
  return {
    enabled,
    instrument(message) {
      release ??= installCloneSupport();
      return tracker.instrument(message);
    },
    finish() {
      release?.();
      const recorded = tracker.finish();
      const hasKey = declaresKey(interaction);
      const run: FieldUsage = { payload: recorded.payload, headers: recorded.headers, key: hasKey && recorded.key };
      const strict = options.strictUsage ?? on(process.env[USAGE_ENV.strict]);
      // The unread fields are only needed by onUsage and strict mode: most runs skip computing them.
      const unused = options.onUsage !== undefined || strict ? unusedFields(interaction, run) : undefined;
      if (options.onUsage !== undefined && unused !== undefined) {
        options.onUsage({
          consumer,
          provider,
          interaction: interaction.description,
          usage: usageJson(run),
          unused,
          undeclared: { payload: recorded.undeclaredPayload, headers: recorded.undeclaredHeaders, key: !hasKey && recorded.key },
        });
      }
      const shared = accumulate(interaction, consumer, provider, run);
      const withUsage: MessageInteraction = { ...interaction, herald: { ...interaction.herald, usage: shared } };
      if (!strict || unused === undefined || noneUnused(unused)) return { interaction: withUsage };
      const failure = new HeraldError(
        'HERALD_USAGE_UNREAD_FIELDS',
        `The ${consumer} handler for "${interaction.description}" from ${provider} never read these declared fields: ${describeFields(unused)}. ` +
          'Remove them from the declaration (a contract should say what the consumer needs), or read them in the handler; strict usage is on (strictUsage / HERALD_STRICT_USAGE).',
        { interaction: interaction.description },
      );
      return { interaction: withUsage, failure };
    },
  };
}

function ownerOf(interaction: MessageInteraction): string {
  return typeof interaction.herald?.owner === 'string' ? interaction.herald.owner : 'unknown';
}

/** Adds a run's usage to the interaction's union for this test file; returns the shared block. */
function accumulate(interaction: MessageInteraction, consumer: string, provider: string, run: FieldUsage): Accumulated['usage'] {
  const owner = ownerOf(interaction);
  let byInteraction = accumulated.get(owner);
  if (byInteraction === undefined) accumulated.set(owner, (byInteraction = new Map()));
  const id = JSON.stringify([consumer, provider, identityOf(interaction.description, interaction.providerStates)]);
  let entry = byInteraction.get(id);
  if (entry === undefined) {
    entry = { consumer, provider, interaction, usage: usageJson(run) };
    byInteraction.set(id, entry);
    return entry.usage;
  }
  const union = usageJson({ payload: [...entry.usage.payload, ...run.payload], headers: [...entry.usage.headers, ...run.headers], key: entry.usage.key || run.key });
  // Updated in place: versions of the interaction recorded earlier in this file see the union too.
  entry.usage.payload.splice(0, entry.usage.payload.length, ...union.payload);
  entry.usage.headers.splice(0, entry.usage.headers.length, ...union.headers);
  entry.usage.key = union.key;
  return entry.usage;
}

/**
 * The warning for one test file: every interaction whose handlers, together, left declared fields
 * unread. Undefined when there is nothing to say. Clears what was accumulated for the file.
 */
export function takeUnusedWarning(owner: string): string | undefined {
  const byInteraction = accumulated.get(owner);
  accumulated.delete(owner);
  if (byInteraction === undefined) return undefined;
  const lines: string[] = [];
  for (const entry of byInteraction.values()) {
    const unused = unusedFields(entry.interaction, entry.usage);
    if (noneUnused(unused)) continue;
    lines.push(`  ${entry.consumer} → ${entry.provider} "${entry.interaction.description}": ${describeFields(unused)}`);
  }
  if (lines.length === 0) return undefined;
  return [
    `Herald: declared fields the handlers in ${owner} never read:`,
    ...lines,
    'Remove them from the declarations or read them: a contract should say what the consumer needs, and providers may change fields no consumer reads.',
    `(Fail on this with verify(handler, { strictUsage: true }) or ${USAGE_ENV.strict}=1; silence it with ${USAGE_ENV.warnings}=off.)`,
  ].join('\n');
}

/** Owners with accumulated usage (test files that ran handlers in this process). */
export function accumulatedOwners(): string[] {
  return [...accumulated.keys()];
}

/**
 * Prints each test file's unused-field warning, naming that file. Written to stderr, not through
 * console.warn: jest would show a code frame of the console.warn line, inside Herald.
 */
export function flushUsageWarnings(write: (text: string) => void = (text) => void process.stderr.write(text)): void {
  for (const owner of accumulatedOwners()) {
    const warning = takeUnusedWarning(owner);
    if (warning !== undefined && !off(process.env[USAGE_ENV.warnings])) write(`${warning}\n`);
  }
}

let hookRegistered = false;
registerWarningHook();

/** Prints the unused-field warning once per test file, from a jest afterAll hook. */
function registerWarningHook(): void {
  if (hookRegistered) return;
  const afterAll = (globalThis as { afterAll?: (fn: () => void) => void }).afterAll;
  if (typeof afterAll !== 'function') return;
  try {
    afterAll(() => flushUsageWarnings());
    hookRegistered = true;
  } catch {
    // Called from inside a test: hooks cannot be added there; the warning is not printed.
  }
}
