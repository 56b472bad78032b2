/**
 * The push service's flow, shared by the flow tests: a device authorises (a request on the
 * push.auth queue, whose reply carries a session id) and then receives a push on push.out for
 * that session. Each test builds its flow from these steps and adds what it checks: the
 * bindings, more states, more steps.
 */
import { amqpExchange, amqpQueue, consumer, m, parseContract, serializeContract, type Contract } from '../index';
import { isSyncInteraction, type AnyInteraction, type MessageInteraction, type SyncMessageInteraction } from '../contract/model';
import { parseJsonText } from '../contract/safe-json';

/** The example session id of the authorise reply. */
export const SESSION = '6f1c2f2e-1b1a-4c1e-9a4e-1c2b3a4d5e6f';

/** The push client's expectations of the push server. */
export function pushPair(consumerName = 'push-client') {
  return consumer(consumerName).expectsFrom('push-server');
}

export type PushPair = ReturnType<typeof pushPair>;

/** Step "authorise": dev-1 asks for a session; the reply gives a session id (a UUID, `session` as its example) and ok. */
export function authoriseStep(pair: PushPair, session = SESSION) {
  return pair
    .request('an authorise request')
    .given('a device is registered', { deviceId: 'dev-1' })
    .on(amqpQueue('push.auth'))
    .withPayload({ deviceId: m.string('dev-1') })
    .withReply({ sessionId: m.uuid(session), ok: m.boolean(true) });
}

/** Step "push", before its headers and payload: a push for dev-1 on the push.out exchange. */
export function pushStep(pair: PushPair) {
  return pair.message('a push for the session').on(amqpExchange('push.out', 'device.dev-1'));
}

/** The pair's contract file text, as Herald's serializer writes it. */
export function pushContractText(interactions: readonly AnyInteraction[]): string {
  return serializeContract({
    consumer: 'push-client',
    provider: 'push-server',
    specVersion: '4.0',
    metadata: {},
    interactions: interactions.filter((i): i is MessageInteraction => !isSyncInteraction(i)),
    synchronous: interactions.filter((i): i is SyncMessageInteraction => isSyncInteraction(i)),
  });
}

/** The pair's contract as a provider reads it: written by Herald's serializer, read back by its reader. */
export function pushContract(interactions: readonly AnyInteraction[]): Contract {
  return parseContract(parseJsonText(pushContractText(interactions), 'flow.json'), 'flow.json');
}
