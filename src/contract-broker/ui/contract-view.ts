/**
 * /ui/contracts/{consumer}/{provider}/{sha}: one stored pact, message by message: channel, key,
 * headers, payload example, matching rules, generators and Herald's field usage; for a
 * request/reply interaction the request and each reply. Read with Herald's contract reader; a
 * pact it cannot read is shown as its JSON, with the reason.
 */
import { headersOf, META } from '../../contract/channel';
import type { JsonValue } from '../../contract/json';
import { isSyncInteraction, type AnyInteraction, type Contract, type MessagePart, type RuleMap, type GeneratorMap, type ProviderState } from '../../contract/model';
import { parseContract } from '../../contract/reader';
import { identityOf } from '../../contract/serialize';
import { usageOf } from '../../usage/usage';
import { interactionIds, isJsonObject, type JsonObject } from '../domain/pact-content';
import { notFound } from '../domain/problem';
import type { Repository } from '../storage/repository';
import { channelLabel, channelOfInteraction, rawInteractions } from './channels';
import { html, prettyJson, type Html } from './html';
import { page, status, tags } from './layout';
import { uiPaths } from './paths';

function rawStates(interaction: JsonObject): ProviderState[] {
  const states = interaction['providerStates'];
  if (!Array.isArray(states)) return typeof interaction['providerState'] === 'string' ? [{ name: interaction['providerState'] }] : [];
  return states.flatMap((s) => (isJsonObject(s) && typeof s['name'] === 'string' ? [isJsonObject(s['params']) ? { name: s['name'], params: s['params'] } : { name: s['name'] }] : []));
}

/** The broker's `_id` of each interaction, by Herald's identity (description + provider states). */
function idsByIdentity(document: JsonObject): Map<string, string> {
  const list = rawInteractions(document);
  const ids = interactionIds(list);
  const out = new Map<string, string>();
  list.forEach((interaction, index) => {
    const id = ids[index];
    if (isJsonObject(interaction) && typeof interaction['description'] === 'string' && id !== undefined) out.set(identityOf(interaction['description'], rawStates(interaction)), id);
  });
  return out;
}

function rulesTable(title: string, rules: RuleMap): Html {
  const paths = Object.keys(rules);
  if (paths.length === 0) return html``;
  return html`<h4>${title}</h4>
    <table class="rules">
      <thead>
        <tr>
          <th>path</th>
          <th>combine</th>
          <th>matchers</th>
        </tr>
      </thead>
      <tbody>
        ${paths.map(
          (path) =>
            html`<tr>
              <td><code>${path}</code></td>
              <td>${rules[path]?.combine ?? 'AND'}</td>
              <td><code>${(rules[path]?.matchers ?? []).map((m) => JSON.stringify(m)).join(' ')}</code></td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function generatorsTable(title: string, generators: GeneratorMap): Html {
  const paths = Object.keys(generators);
  if (paths.length === 0) return html``;
  return html`<h4>${title}</h4>
    <table class="generators">
      <tbody>
        ${paths.map(
          (path) =>
            html`<tr>
              <td><code>${path}</code></td>
              <td><code>${JSON.stringify(generators[path])}</code></td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function headersTable(metadata: JsonObject): Html {
  const headers = headersOf(metadata);
  const names = Object.keys(headers);
  if (names.length === 0) return html`<span class="muted">none</span>`;
  return html`<table class="headers">
    <tbody>
      ${names.map(
        (name) =>
          html`<tr>
            <td><code>${name}</code></td>
            <td><code>${JSON.stringify(headers[name])}</code></td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** Reserved metadata that is neither the channel nor the content type: the Kafka key, AMQP properties. */
function properties(metadata: JsonObject): [string, JsonValue][] {
  const channelKeys = new Set<string>([
    META.contentType,
    META.kafkaTopic,
    META.kafkaPartition,
    META.amqpExchange,
    META.amqpExchangeType,
    META.amqpRoutingKey,
    META.amqpQueue,
    META.transport,
    META.channel,
    META.kafkaKey,
  ]);
  return Object.entries(metadata).filter(([key]) => !channelKeys.has(key) && !(key in headersOf(metadata))) as [string, JsonValue][];
}

function partView(part: MessagePart): Html {
  const key = part.metadata[META.kafkaKey];
  const props = properties(part.metadata);
  return html`<dl class="grid">
      <dt>key</dt>
      <dd>${key === undefined ? html`<span class="muted">none</span>` : html`<code>${typeof key === 'string' ? key : JSON.stringify(key)}</code>`}</dd>
      <dt>headers</dt>
      <dd>${headersTable(part.metadata)}</dd>
      ${
        props.length === 0
          ? ''
          : html`<dt>properties</dt>
              <dd>${props.map(([name, value]) => html`<code>${name}</code> = <code>${JSON.stringify(value)}</code><br />`)}</dd>`
      }
      <dt>content type</dt>
      <dd><code>${part.contents.contentType}</code>${part.contents.encoded === false ? '' : html` <span class="muted">(encoded: ${part.contents.encoded})</span>`}</dd>
    </dl>
    <h4>Payload example</h4>
    <pre class="payload"><code>${typeof part.contents.content === 'string' && part.contents.encoded !== false ? part.contents.content : prettyJson(part.contents.content)}</code></pre>
    ${rulesTable('Matching rules: payload', part.matchingRules.body)} ${rulesTable('Matching rules: key, headers and properties', part.matchingRules.metadata)}
    ${generatorsTable('Generators: payload', part.generators.body)} ${generatorsTable('Generators: key, headers and properties', part.generators.metadata)}`;
}

function usageView(interaction: AnyInteraction): Html {
  const usage = usageOf(interaction);
  if (usage === undefined) return html`<p class="muted">No field usage recorded (every declared field counts as used).</p>`;
  return html`<dl class="grid usage">
    <dt>payload paths read</dt>
    <dd>${tags(usage.payload, 'none')}</dd>
    <dt>headers read</dt>
    <dd>${tags(usage.headers, 'none')}</dd>
    <dt>key read</dt>
    <dd>${usage.key ? 'yes' : 'no'}</dd>
  </dl>`;
}

function interactionView(interaction: AnyInteraction, id: string | undefined, raw: JsonObject | undefined): Html {
  const channel = raw === undefined ? interaction.herald?.channel : channelOfInteraction(raw);
  const states = interaction.providerStates.map((s) => (s.params === undefined ? s.name : `${s.name} ${JSON.stringify(s.params)}`));
  const sync = isSyncInteraction(interaction);
  return html`<section class="card interaction" ${id === undefined ? '' : html`id="interaction-${id}"`}>
    <h3>${interaction.description} <span class="muted">${sync ? 'request / reply' : 'message'}${interaction.pending ? ', pending' : ''}</span></h3>
    <dl class="grid">
      <dt>channel</dt>
      <dd>${channel === undefined ? html`<span class="muted">not recorded</span>` : html`<code>${channelLabel(channel)}</code>`}</dd>
      <dt>provider states</dt>
      <dd>${tags(states, 'none')}</dd>
      ${
        typeof interaction.herald?.owner === 'string'
          ? html`<dt>declared in</dt>
              <dd><code>${interaction.herald.owner}</code></dd>`
          : ''
      }
      ${
        id === undefined
          ? ''
          : html`<dt>interaction id</dt>
              <dd><code>${id}</code></dd>`
      }
    </dl>
    ${
      sync && interaction.herald?.['reply'] !== undefined
        ? html`<h4>How the reply travels</h4>
            <pre><code>${prettyJson(interaction.herald['reply'])}</code></pre>`
        : ''
    }
    ${
      sync
        ? html`<h4>Request</h4>
            ${partView(interaction.request)}${interaction.response.map(
              (reply, index) =>
                html`<h4>Reply${interaction.response.length > 1 ? ` ${index + 1}` : ''}</h4>
                  ${partView(reply)}`,
            )}`
        : partView(interaction)
    }
    <h4>Field usage</h4>
    ${usageView(interaction)}
  </section>`;
}

function contractBody(contract: Contract, document: JsonObject): Html {
  const ids = idsByIdentity(document);
  const rawByIdentity = new Map<string, JsonObject>();
  for (const raw of rawInteractions(document)) if (isJsonObject(raw) && typeof raw['description'] === 'string') rawByIdentity.set(identityOf(raw['description'], rawStates(raw)), raw);
  const all: AnyInteraction[] = [...contract.interactions, ...(contract.synchronous ?? [])];
  return html`${all.map((interaction) => {
    const identity = identityOf(interaction.description, interaction.providerStates);
    return interactionView(interaction, ids.get(identity), rawByIdentity.get(identity));
  })}
  ${contract.notes === undefined || contract.notes.length === 0 ? '' : html`<p class="muted">${contract.notes.join(' ')}</p>`}`;
}

export async function contractPage(repository: Repository, consumerName: string, providerName: string, sha: string): Promise<Html> {
  const consumer = await repository.findPacticipant(consumerName);
  const provider = await repository.findPacticipant(providerName);
  const text = consumer === undefined || provider === undefined ? undefined : await repository.findContent(consumer.id, provider.id, sha);
  if (consumer === undefined || provider === undefined || text === undefined) throw notFound(`The contract ${sha} between ${consumerName} and ${providerName}`, 'Pick one from its integration page.');
  const parsed: unknown = JSON.parse(text);
  const document: JsonObject = isJsonObject(parsed) ? parsed : {};
  let messages: Html;
  try {
    messages = contractBody(parseContract(parsed as JsonValue, `${consumer.name}-${provider.name} ${sha}`), document);
  } catch (error) {
    messages = html`<p class="status-fail">Herald cannot read this pact as a message contract: ${error instanceof Error ? error.message : String(error)}</p>
      <pre><code>${prettyJson(parsed)}</code></pre>`;
  }
  const publications = (await repository.listPublications({ consumerId: consumer.id, providerId: provider.id })).filter((p) => p.sha === sha);
  const verifications = await repository.listVerifications({ consumerId: consumer.id, providerId: provider.id, sha });
  const metadata = document['metadata'];
  const body = html`<dl class="grid card">
      <dt>consumer</dt>
      <dd>${consumer.name}, versions ${tags(publications.map((p) => p.consumerVersion.number))}</dd>
      <dt>provider</dt>
      <dd>${provider.name}</dd>
      <dt>sha</dt>
      <dd><code>${sha}</code></dd>
      <dt>verifications</dt>
      <dd>
        ${
          verifications.length === 0
            ? html`<span class="muted">none yet</span>`
            : verifications
                .slice()
                .reverse()
                .map((v) => html`<a href="${uiPaths.verification(v.id)}">${status(v.success)} by ${provider.name} ${v.providerVersion.number}</a><br />`)
        }
      </dd>
    </dl>
    <h2>Messages</h2>
    ${messages}
    <h2>Contract metadata</h2>
    <pre><code>${prettyJson(metadata)}</code></pre>`;
  return page(`Contract ${consumer.name} → ${provider.name}`, body, [
    { label: `${consumer.name} → ${provider.name}`, href: uiPaths.integration(consumer.name, provider.name) },
    { label: `contract ${sha.slice(0, 10)}` },
  ]);
}
