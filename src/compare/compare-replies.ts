/**
 * Bi-directional checking of request/reply interactions against an AsyncAPI 3.0 document: the
 * spec must have an operation where the provider receives the request on the contract's channel
 * with a `reply`; the consumer's request must carry every field the spec's request requires; the
 * reply is checked like a one-way message (every field the consumer reads, check.ts); and the
 * reply address and correlation id must travel where the contract says (Kafka: the reply-topic and
 * correlation headers, Spring's by default; AMQP: reply_to and correlation_id). A spec that does
 * not say where they travel is a warning, never a silent pass.
 */
import type { JsonValue } from '../contract/json';
import type { SyncMessageInteraction } from '../contract/model';
import { describeSpecMessage, type Spec, type SpecMessage } from '../asyncapi/model';
import { replyAsMessage } from '../verify/reply';
import { replyLocations, replyRouteOf, requestAsMessage } from './asyncapi-replies';
import { checkMessage } from './check';
import type { CompareOptions, CompareResult } from './compare';
import type { Finding } from './findings';
import { channelFits, channelOf, describeChannel } from './match';
import { messageRequirements } from './requirements';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fields a schema requires (`required`, recursively through object properties) that `value` does not have. */
export function requiredButAbsent(schema: unknown, value: JsonValue | undefined, path = '$'): string[] {
  if (!isObject(schema)) return [];
  const required = Array.isArray(schema['required']) ? schema['required'].filter((r): r is string => typeof r === 'string') : [];
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  const record = isObject(value) ? value : undefined;
  const out: string[] = [];
  for (const name of required) if (record === undefined || record[name] === undefined) out.push(`${path}.${name}`);
  if (record !== undefined) {
    for (const [name, sub] of Object.entries(properties)) if (record[name] !== undefined) out.push(...requiredButAbsent(sub, record[name] as JsonValue, `${path}.${name}`));
  }
  return out;
}

const incompatible = (findings: readonly Finding[]): number => findings.filter((f) => f.severity === 'incompatible').length;

function locationFinding(what: string, expected: string, actual: string | undefined, where: string): Finding | undefined {
  if (actual === expected) return undefined;
  if (actual === undefined) {
    return {
      severity: 'warning',
      code: 'unconstrained',
      part: 'metadata',
      path: expected,
      expected,
      actual: null,
      message: `${where} does not say where the ${what} travels; the contract expects ${expected}`,
    };
  }
  return { severity: 'incompatible', code: 'channel', part: 'metadata', path: expected, expected, actual, message: `${where} carries the ${what} at ${actual}; the contract expects ${expected}` };
}

/** Compares one request/reply interaction with the spec. */
export function compareReplyInteraction(sync: SyncMessageInteraction, spec: Spec, context: { consumer: string; provider: string; contractFile?: string }, options: CompareOptions = {}): CompareResult {
  const base = {
    consumer: context.consumer,
    provider: context.provider,
    description: sync.description,
    ...(context.contractFile === undefined ? {} : { contractFile: context.contractFile }),
    pending: sync.pending,
  };
  const fail = (finding: Omit<Finding, 'severity' | 'part' | 'path'> & Partial<Finding>): CompareResult => ({
    ...base,
    status: 'incompatible',
    findings: [{ severity: 'incompatible', part: 'message', path: '$', ...finding }],
    ignored: [],
    notes: [],
  });
  const reply = replyAsMessage(sync);
  if (reply === undefined)
    return fail({ code: 'unsupported', expected: 1, actual: sync.response.length, message: `"${sync.description}" declares ${sync.response.length} replies; Herald compares exactly one` });
  const request = requestAsMessage(sync);
  const channel = channelOf(request);
  const where = describeChannel(channel);
  const receiving = spec.messages.filter((m) => m.action === 'receive' && channelFits(channel, m.channel).fits);
  if (receiving.length === 0) {
    return fail({
      code: 'no-message',
      expected: where,
      actual: null,
      message: `the spec has no operation where ${context.provider} receives requests on ${where}, so "${sync.description}" has nobody to answer it`,
    });
  }
  const answering = receiving.filter((m) => (m.reply?.messages.length ?? 0) > 0);
  if (answering.length === 0) {
    return fail({
      code: 'no-message',
      expected: `a reply to ${where}`,
      actual: receiving.map(describeSpecMessage).join(', '),
      message: `the spec's operation receiving ${receiving.map(describeSpecMessage).join(', ')} declares no reply, and "${sync.description}" expects one`,
    });
  }
  const route = replyRouteOf(sync);
  const locations = replyLocations(channel, route);
  const requirements = messageRequirements(reply, { allFields: options.checkAllDeclaredFields === true });
  let best: { request: SpecMessage; reply: SpecMessage; findings: Finding[]; ignored: readonly string[] } | undefined;
  for (const requestMessage of answering) {
    for (const replyMessage of requestMessage.reply?.messages ?? []) {
      const outcome = checkMessage(requirements, replyMessage, { consumer: context.consumer, ...(options.strict === undefined ? {} : { strict: options.strict }) });
      const findings: Finding[] = outcome.findings.map((f) => ({ ...f, message: `reply: ${f.message}` }));
      for (const path of requiredButAbsent(requestMessage.payload, request.contents.content)) {
        findings.push({
          severity: 'incompatible',
          code: 'missing',
          part: 'body',
          path,
          expected: 'sent',
          actual: 'required by the spec',
          message: `request: the spec requires ${path}, which ${context.consumer} does not send`,
        });
      }
      if (locations !== undefined) {
        const specWhere = `the spec's ${describeSpecMessage(requestMessage)}`;
        const checks = [
          locationFinding('reply address', locations.address, requestMessage.reply?.addressLocation, `${specWhere} reply`),
          locationFinding('correlation id', locations.correlation, requestMessage.correlationLocation, specWhere),
          replyMessage.correlationLocation === undefined
            ? undefined
            : locationFinding('correlation id', locations.correlation, replyMessage.correlationLocation, `the spec's reply ${describeSpecMessage(replyMessage)}`),
        ];
        for (const finding of checks) if (finding !== undefined) findings.push(finding);
        const topic = requestMessage.reply?.channel?.kafkaTopic;
        if (route.address !== undefined && topic !== undefined && topic !== route.address) {
          findings.push({
            severity: 'incompatible',
            code: 'channel',
            part: 'message',
            path: '$',
            expected: route.address,
            actual: topic,
            message: `the spec replies on topic ${topic}; the contract waits on ${route.address}`,
          });
        }
      }
      if (best === undefined || incompatible(findings) < incompatible(best.findings) || (incompatible(findings) === incompatible(best.findings) && findings.length < best.findings.length)) {
        best = { request: requestMessage, reply: replyMessage, findings, ignored: outcome.ignored };
      }
    }
  }
  if (best === undefined) return fail({ code: 'no-message', expected: where, actual: null, message: `no reply message of the spec to compare "${sync.description}" with` });
  const notes = best.ignored.length > 0 ? [`not compared, because the ${context.consumer} client never reads them: ${best.ignored.join(', ')}`] : [];
  return {
    ...base,
    status: incompatible(best.findings) > 0 ? 'incompatible' : 'compatible',
    specMessage: {
      id: best.reply.id,
      ...(best.reply.name === undefined ? {} : { name: best.reply.name }),
      describe: `${describeSpecMessage(best.reply)}, the reply to ${describeSpecMessage(best.request)}`,
    },
    findings: best.findings,
    ignored: best.ignored,
    notes,
  };
}
