/**
 * Bi-directional checking: compares consumers' contracts with a provider's specification without
 * running the provider. For each interaction: find the spec message (channel, name, fit), then
 * check every field, header and key the consumer reads against the spec's schemas (check.ts).
 *
 * @example
 * const report = compareContracts(await loadContracts(['contracts/']), await loadSpec('asyncapi.yaml'), { provider: 'contractors' });
 * report.results.filter((r) => r.status === 'incompatible').map((r) => r.consumer) // ['materials']
 */
import type { Contract, MessageInteraction } from '../contract/model';
import { avroBlockOf, isAvroContentType, isAvroInteraction } from '../avro/contract';
import { checkReaderWriter } from '../avro/compatibility';
import type { AvroSchema } from '../avro/schema';
import { HeraldError } from '../errors/herald-error';
import { describeSpecMessage, type Spec, type SpecMessage } from '../asyncapi/model';
import { checkMessage, type CheckOutcome } from './check';
import { compareReplyInteraction } from './compare-replies';
import type { Finding } from './findings';
import { describeChannel, channelOf, selectMessages } from './match';
import { flatten, messageRequirements } from './requirements';

export interface CompareOptions {
  /** The provider the spec describes; contracts with other providers are skipped. Default: the only provider the contracts name. */
  readonly provider?: string;
  /** Only these consumers' contracts. */
  readonly consumers?: readonly string[];
  /** Report what the spec does not promise (optional fields, unproven patterns…) as incompatible. */
  readonly strict?: boolean;
  /**
   * Compare every declared field. By default a field the consumer declared but never read (the
   * contract's `herald.usage`) is listed as not compared and cannot fail — the rule verify and
   * diff apply too. Contracts without usage data always count every field. CLI: --all-fields.
   */
  readonly checkAllDeclaredFields?: boolean;
}

export type CompareStatus = 'compatible' | 'incompatible';

export interface CompareResult {
  readonly consumer: string;
  readonly provider: string;
  readonly description: string;
  readonly contractFile?: string;
  readonly status: CompareStatus;
  /** Pending interactions are reported but never fail a comparison. */
  readonly pending: boolean;
  /** The spec message the interaction was compared with. */
  readonly specMessage?: { readonly id: string; readonly name?: string; readonly describe: string };
  readonly findings: readonly Finding[];
  /** Declared fields not compared because the consumer's handler never reads them (`herald.usage`). */
  readonly ignored: readonly string[];
  readonly notes: readonly string[];
}

export interface ComparisonSummary {
  readonly total: number;
  readonly compatible: number;
  readonly incompatible: number;
  readonly pending: number;
  readonly warnings: number;
  /** True when no non-pending interaction is incompatible. */
  readonly ok: boolean;
}

export interface ComparisonReport {
  readonly spec: { readonly source: string; readonly kind: Spec['kind']; readonly title: string; readonly version?: string };
  readonly provider: string;
  readonly summary: ComparisonSummary;
  readonly results: readonly CompareResult[];
}

/** The provider to compare for: the option, else the only provider the contracts name. */
export function chooseProvider(contracts: readonly Contract[], provider: string | undefined, what = 'compare', specTitles: readonly string[] = []): string {
  const names = [...new Set(contracts.map((c) => c.provider))].sort();
  if (provider !== undefined) {
    if (!names.includes(provider)) {
      throw new HeraldError(
        'HERALD_UNKNOWN_PROVIDER',
        `Failed to ${what}: no contract names the provider "${provider}". Providers in these contracts: ${names.join(', ') || '(none)'}. Check --provider and the --contracts paths.`,
      );
    }
    return provider;
  }
  if (names.length === 1 && names[0] !== undefined) return names[0];
  // The spec's title names one of them ("Contractors" → contractors).
  const norm = (x: string): string => x.toLowerCase().replace(/[^a-z0-9]/g, '');
  const titled = names.filter((n) => specTitles.some((t) => norm(t) === norm(n)));
  if (titled.length === 1 && titled[0] !== undefined) return titled[0];
  throw new HeraldError(
    'HERALD_UNKNOWN_PROVIDER',
    `Failed to ${what}: the contracts name ${names.length} providers (${names.join(', ')}) and the spec's title names none of them. Pass --provider <name>.`,
  );
}

const family = (contentType: string | undefined): string | undefined =>
  contentType === undefined ? undefined : isAvroContentType(contentType) ? 'Avro' : /json/i.test(contentType) ? 'JSON' : contentType.split(';')[0]?.trim().toLowerCase();

function compareWith(interaction: MessageInteraction, message: SpecMessage, consumer: string, spec: Spec, options: CompareOptions): CheckOutcome {
  const requirements = messageRequirements(interaction, { allFields: options.checkAllDeclaredFields === true });
  const outcome = checkMessage(requirements, message, { consumer, ...(options.strict === undefined ? {} : { strict: options.strict }) });
  const findings = [...outcome.findings];
  const contractType = family(interaction.contents.contentType);
  const specType = spec.kind === 'avro' ? undefined : family(message.contentType);
  if (contractType !== undefined && specType !== undefined && contractType !== specType) {
    findings.unshift({
      severity: 'incompatible',
      code: 'content-type',
      part: 'message',
      path: '$',
      expected: interaction.contents.contentType,
      actual: message.contentType ?? null,
      message: `${consumer} reads ${contractType} (${interaction.contents.contentType}); the spec's ${message.name ?? message.id} is ${message.contentType ?? specType}`,
    });
  }
  if (isAvroInteraction(interaction) && message.avroSchema !== undefined) {
    const block = avroBlockOf(interaction);
    if (block !== undefined) {
      const byPath = new Map(flatten(requirements.payload).map((r) => [r.path, r]));
      const issues = checkReaderWriter(block.schema as AvroSchema, message.avroSchema as AvroSchema, { reader: consumer, writer: 'the spec' });
      // Avro against Avro: the payload is decided by Avro's schema resolution (reader = consumer, writer = spec).
      for (let i = findings.length - 1; i >= 0; i -= 1) if (findings[i]?.part === 'body') findings.splice(i, 1);
      for (const issue of issues) {
        const req = byPath.get(issue.path);
        if (req !== undefined && !req.used) continue;
        findings.push({ severity: 'incompatible', code: 'avro', part: 'body', path: issue.path, expected: issue.reader, actual: issue.writer, message: issue.message });
      }
    }
  }
  return { findings, ignored: outcome.ignored };
}

const incompatibleCount = (outcome: CheckOutcome): number => outcome.findings.filter((f) => f.severity === 'incompatible').length;

/** Compares one interaction with the spec. */
export function compareInteraction(interaction: MessageInteraction, spec: Spec, context: { consumer: string; provider: string; contractFile?: string }, options: CompareOptions = {}): CompareResult {
  const base = {
    consumer: context.consumer,
    provider: context.provider,
    description: interaction.description,
    ...(context.contractFile === undefined ? {} : { contractFile: context.contractFile }),
    pending: interaction.pending,
  };
  const selection = selectMessages(interaction, spec);
  const first = selection.candidates[0];
  if (first === undefined) {
    const finding: Finding = {
      severity: 'incompatible',
      code: 'no-message',
      part: 'message',
      path: '$',
      expected: describeChannel(channelOf(interaction)),
      actual: null,
      message: `no message of the spec matches "${interaction.description}" on ${describeChannel(channelOf(interaction))}: ${selection.reason ?? 'none fits'}`,
    };
    return { ...base, status: 'incompatible', findings: [finding], ignored: [], notes: [] };
  }
  const notes: string[] = [];
  let chosen = first;
  let outcome = compareWith(interaction, first, context.consumer, spec, options);
  if (!selection.byName && selection.candidates.length === 1 && spec.messages.length > 1) {
    notes.push(`compared with ${describeSpecMessage(first)}, the only message the provider sends on this channel; its name does not appear in the description`);
  }
  if (!selection.byName && selection.candidates.length > 1) {
    for (const other of selection.candidates.slice(1)) {
      const candidate = compareWith(interaction, other, context.consumer, spec, options);
      if (incompatibleCount(candidate) < incompatibleCount(outcome) || (incompatibleCount(candidate) === incompatibleCount(outcome) && candidate.findings.length < outcome.findings.length)) {
        chosen = other;
        outcome = candidate;
      }
    }
    notes.push(
      `compared with ${describeSpecMessage(chosen)}, the best fit of ${selection.candidates.length} messages on this channel (${selection.candidates.map((m) => m.name ?? m.id).join(', ')}); name the message in the description to choose it`,
    );
  }
  if (outcome.ignored.length > 0) notes.push(`not compared, because the ${context.consumer} handler never reads them: ${outcome.ignored.join(', ')}`);
  const incompatible = incompatibleCount(outcome) > 0;
  return {
    ...base,
    status: incompatible ? 'incompatible' : 'compatible',
    specMessage: { id: chosen.id, ...(chosen.name === undefined ? {} : { name: chosen.name }), describe: describeSpecMessage(chosen) },
    findings: outcome.findings,
    ignored: outcome.ignored,
    notes,
  };
}

/** Compares every interaction of the provider's contracts with the spec. */
export function compareContracts(contracts: readonly Contract[], spec: Spec, options: CompareOptions = {}): ComparisonReport {
  const provider = chooseProvider(contracts, options.provider, 'compare', [spec.title]);
  const results: CompareResult[] = [];
  for (const contract of contracts) {
    if (contract.provider !== provider) continue;
    if (options.consumers !== undefined && options.consumers.length > 0 && !options.consumers.includes(contract.consumer)) continue;
    const context = { consumer: contract.consumer, provider, ...(contract.source === undefined ? {} : { contractFile: contract.source }) };
    for (const interaction of contract.interactions) results.push(compareInteraction(interaction, spec, context, options));
    for (const sync of contract.synchronous ?? []) results.push(compareReplyInteraction(sync, spec, context, options));
  }
  return { spec: specSummary(spec), provider, summary: summariseComparison(results), results };
}

export function specSummary(spec: Spec): ComparisonReport['spec'] {
  return { source: spec.source, kind: spec.kind, title: spec.title, ...(spec.version === undefined ? {} : { version: spec.version }) };
}

export function summariseComparison(results: readonly CompareResult[]): ComparisonSummary {
  const failing = results.filter((r) => r.status === 'incompatible' && !r.pending).length;
  return {
    total: results.length,
    compatible: results.filter((r) => r.status === 'compatible').length,
    incompatible: results.filter((r) => r.status === 'incompatible').length,
    pending: results.filter((r) => r.pending).length,
    warnings: results.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'warning').length, 0),
    ok: failing === 0,
  };
}
