/**
 * can-i-deploy over the broker's matrix (`GET pb:matrix`, `/matrix` on a Pact Broker, whose index
 * has no matrix link): deployable true / false / null (unknown), the reason and the rows.
 */
import { HeraldError } from '../errors/herald-error';
import type { BrokerClient, JsonObject } from './hal-client';

export interface CanIDeployOptions {
  readonly pacticipant: string;
  readonly version: string;
  /** Deploy into this environment (`environment=`); without it, against the latest versions (`latestby=cvp`). */
  readonly toEnvironment?: string;
  /** While the answer is unknown, ask again up to this many times. */
  readonly retryWhileUnknown?: number;
  /** Seconds between those retries (default 10). */
  readonly retryIntervalSeconds?: number;
  /** Waits between retries (tests pass a fast one). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface MatrixRow {
  readonly consumer: string;
  readonly consumerVersion: string | undefined;
  readonly provider: string;
  readonly providerVersion: string | undefined;
  /** true / false verified; undefined: no verification result. */
  readonly success: boolean | undefined;
}

export interface CanIDeployResult {
  /** true deployable, false not, null unknown (a needed verification is missing). */
  readonly deployable: boolean | null;
  readonly reason: string;
  readonly rows: readonly MatrixRow[];
  readonly notices: readonly { readonly type: string; readonly text: string }[];
  /** How many times the matrix was asked. */
  readonly attempts: number;
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The matrix query as the Pact CLI sends it (`q[][pacticipant]`, `q[][version]`, `latestby`, `environment`). */
export function matrixQuery(options: CanIDeployOptions): string {
  const params = new URLSearchParams();
  params.append('q[][pacticipant]', options.pacticipant);
  params.append('q[][version]', options.version);
  params.append('latestby', 'cvp');
  if (options.toEnvironment !== undefined) params.append('environment', options.toEnvironment);
  return params.toString();
}

/** Reads a matrix answer; HERALD_PACT_BROKER_RESPONSE_INVALID when it has no summary. */
export function readMatrix(response: JsonObject, url: string): Omit<CanIDeployResult, 'attempts'> {
  const summary = response['summary'];
  if (!isObject(summary) || !('deployable' in summary)) {
    throw new HeraldError('HERALD_PACT_BROKER_RESPONSE_INVALID', `Failed to read the matrix at ${url}: the answer has no summary.deployable. Check that --broker-url is a Pact Broker API root.`);
  }
  const deployable = summary['deployable'] === true ? true : summary['deployable'] === false ? false : null;
  const rows = (Array.isArray(response['matrix']) ? response['matrix'] : []).filter(isObject).map((row): MatrixRow => {
    const consumer = isObject(row['consumer']) ? row['consumer'] : {};
    const provider = isObject(row['provider']) ? row['provider'] : {};
    const verification = isObject(row['verificationResult']) ? row['verificationResult'] : undefined;
    return {
      consumer: str(consumer['name']) ?? '?',
      consumerVersion: isObject(consumer['version']) ? str(consumer['version']['number']) : undefined,
      provider: str(provider['name']) ?? '?',
      providerVersion: isObject(provider['version']) ? str(provider['version']['number']) : undefined,
      success: verification === undefined ? undefined : verification['success'] === true,
    };
  });
  const notices = (Array.isArray(response['notices']) ? response['notices'] : []).filter(isObject).map((n) => ({ type: str(n['type']) ?? 'info', text: str(n['text']) ?? '' }));
  return { deployable, reason: str(summary['reason']) ?? '', rows, notices };
}

/** Asks the matrix, again while the answer is unknown and retries are left. */
export async function canIDeploy(client: BrokerClient, options: CanIDeployOptions): Promise<CanIDeployResult> {
  const base = (await client.optionalLink('pb:matrix')) ?? `${client.url}/matrix`;
  const url = `${base}?${matrixQuery(options)}`;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const retries = options.retryWhileUnknown ?? 0;
  for (let attempt = 1; ; attempt++) {
    const result = readMatrix(await client.get(url, `ask can-i-deploy for ${options.pacticipant} ${options.version}`), url);
    if (result.deployable !== null || attempt > retries) return { ...result, attempts: attempt };
    await sleep((options.retryIntervalSeconds ?? 10) * 1000);
  }
}

/** The matrix as a table, then the verdict and reason (what the command prints). */
export function formatCanIDeploy(result: CanIDeployResult, options: Pick<CanIDeployOptions, 'pacticipant' | 'version' | 'toEnvironment'>): string {
  const header = ['CONSUMER', 'C.VERSION', 'PROVIDER', 'P.VERSION', 'SUCCESS?'];
  const cells = result.rows.map((r) => [r.consumer, r.consumerVersion ?? '???', r.provider, r.providerVersion ?? '???', r.success === undefined ? '???' : String(r.success)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]): string =>
    c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  const table = result.rows.length === 0 ? 'There are no verification rows for this version.\n' : `${[line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n')}\n`;
  const target = options.toEnvironment === undefined ? '' : ` to ${options.toEnvironment}`;
  const verdict =
    result.deployable === true
      ? `Computer says yes \\o/ ${options.pacticipant} ${options.version} can be deployed${target}.`
      : result.deployable === false
        ? `Computer says no ¯\\_(ツ)_/¯ ${options.pacticipant} ${options.version} cannot be deployed${target}.`
        : `Computer says maybe: whether ${options.pacticipant} ${options.version} can be deployed${target} is unknown${result.attempts > 1 ? ` after ${result.attempts} attempts` : ''}.`;
  const notices = result.notices.filter((n) => n.text !== '' && n.text !== result.reason).map((n) => `  ${n.type}: ${n.text}`);
  return `${table}\n${verdict}\n${result.reason === '' ? '' : `Reason: ${result.reason}\n`}${notices.length === 0 ? '' : `${notices.join('\n')}\n`}`;
}
