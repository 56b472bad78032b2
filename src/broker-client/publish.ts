/**
 * `herald publish`: every contract of one consumer version in ONE `POST pb:publish-contracts`
 * (the Pact Broker's "publish contracts" endpoint, as the Pact CLI uses it), with branch and tags.
 */
import { readFile } from 'node:fs/promises';
import { findContractFiles } from '../contract/load';
import { readContractFile } from '../contract/load';
import { HeraldError } from '../errors/herald-error';
import type { BrokerClient, JsonObject } from './hal-client';

export interface PublishOptions {
  readonly consumerVersion: string;
  readonly branch?: string;
  readonly tags?: readonly string[];
  readonly buildUrl?: string;
}

/** One contract file, read and checked, ready to publish. */
export interface ContractToPublish {
  readonly file: string;
  readonly consumer: string;
  readonly provider: string;
  /** The file's bytes, sent as they are (base64), so the broker stores exactly what was tested. */
  readonly content: Buffer;
}

/** The body of `POST /contracts/publish` for one consumer. */
export interface PublishRequest {
  readonly pacticipantName: string;
  readonly pacticipantVersionNumber: string;
  readonly branch?: string;
  readonly tags: readonly string[];
  readonly buildUrl?: string;
  readonly contracts: readonly { readonly consumerName: string; readonly providerName: string; readonly specification: 'pact'; readonly contentType: 'application/json'; readonly content: string }[];
}

/** A notice from the broker (`notices[]`: type info / debug / warning / success / error…). */
export interface BrokerNotice {
  readonly type: string;
  readonly text: string;
}

export interface PublishResult {
  readonly consumer: string;
  readonly contracts: readonly ContractToPublish[];
  readonly notices: readonly BrokerNotice[];
}

/** Reads the contract files under `paths` (files or directories), validating each as Herald does. */
export async function readContractsToPublish(paths: readonly string[]): Promise<ContractToPublish[]> {
  const files = await findContractFiles(paths);
  const read: ContractToPublish[] = [];
  for (const file of files) {
    const contract = await readContractFile(file);
    read.push({ file, consumer: contract.consumer, provider: contract.provider, content: await readFile(file) });
  }
  return read;
}

/** One request per consumer (a consumer version is one publication), in the order consumers first appear. */
export function publishRequests(contracts: readonly ContractToPublish[], options: PublishOptions): PublishRequest[] {
  const byConsumer = new Map<string, ContractToPublish[]>();
  for (const c of contracts) byConsumer.set(c.consumer, [...(byConsumer.get(c.consumer) ?? []), c]);
  return [...byConsumer].map(([consumer, list]) => {
    const seen = new Map<string, string>();
    for (const c of list) {
      const other = seen.get(c.provider);
      if (other !== undefined) {
        throw new HeraldError(
          'HERALD_USAGE',
          `Failed to publish: ${other} and ${c.file} are both contracts between ${consumer} and ${c.provider}; a consumer version has one contract per provider. Publish one directory per version, or remove the stale file.`,
          { contractFile: c.file },
        );
      }
      seen.set(c.provider, c.file);
    }
    return {
      pacticipantName: consumer,
      pacticipantVersionNumber: options.consumerVersion,
      ...(options.branch === undefined ? {} : { branch: options.branch }),
      tags: options.tags ?? [],
      ...(options.buildUrl === undefined ? {} : { buildUrl: options.buildUrl }),
      contracts: list.map((c) => ({
        consumerName: consumer,
        providerName: c.provider,
        specification: 'pact' as const,
        contentType: 'application/json' as const,
        content: c.content.toString('base64'),
      })),
    };
  });
}

function noticesOf(response: JsonObject): BrokerNotice[] {
  const notices = response['notices'];
  if (!Array.isArray(notices)) return [];
  return notices.flatMap((n: unknown) =>
    typeof n === 'object' && n !== null && typeof (n as JsonObject)['text'] === 'string' ? [{ type: String((n as JsonObject)['type'] ?? 'info'), text: String((n as JsonObject)['text']) }] : [],
  );
}

/** Publishes the contracts, one `POST pb:publish-contracts` per consumer; resolves with the broker's notices. */
export async function publishContracts(client: BrokerClient, contracts: readonly ContractToPublish[], options: PublishOptions): Promise<PublishResult[]> {
  const requests = publishRequests(contracts, options);
  const url = await client.link('pb:publish-contracts', {}, 'publish contracts');
  const results: PublishResult[] = [];
  for (const request of requests) {
    const response = await client.post(url, request, 'publish contracts');
    results.push({ consumer: request.pacticipantName, contracts: contracts.filter((c) => c.consumer === request.pacticipantName), notices: noticesOf(response) });
  }
  return results;
}
