import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JsonObject } from '../contract/json';
import type { InteractionResult } from '../verify/result';
import { readBrokerPact, verificationResultBody, type PactForVerification } from './for-verification';

const URL = 'http://broker.test/pacts/provider/orders/consumer/web/version/1';

/** v4-mixed.json as the broker serves it: every interaction with an `_id`, and the publish link. */
function served(): JsonObject {
  const document = JSON.parse(readFileSync(path.join(__dirname, '../../test/fixtures/contracts/handwritten/valid/v4-mixed.json'), 'utf8')) as JsonObject & { interactions: JsonObject[] };
  document.interactions.forEach((interaction, i) => (interaction['_id'] = `id-${i}`));
  document['_links'] = { 'pb:publish-verification-results': { href: `${URL}/verification-results` } };
  return document;
}

function forVerification(pending: boolean): PactForVerification {
  return { ...readBrokerPact(served(), URL, pending), url: URL, shortDescription: 'web', pending, wip: false, notices: [] };
}

const result = (pact: PactForVerification, description: string, status: InteractionResult['status']): InteractionResult => ({
  consumer: pact.contract.consumer,
  provider: pact.contract.provider,
  description,
  contractFile: URL,
  status,
  mismatches: [],
  ...(status === 'passed' ? {} : { error: { code: 'HERALD_REPLY_MISMATCH', message: 'the reply differs' } }),
  notes: [],
  pending: false,
  durationMs: 1,
});

describe('verification results for the broker', () => {
  it('reports request/reply interactions per interaction _id, beside the asynchronous ones', () => {
    const pact = forVerification(false);
    expect(pact.contract.synchronous?.map((s) => s.description)).toEqual(['a price quote']);
    const body = verificationResultBody(
      pact,
      [result(pact, 'an order created event', 'passed'), result(pact, 'a price quote', 'failed'), result(pact, 'an order archived notice', 'passed')],
      '2.0.0',
      '0.0.0-test',
    );
    expect(body['success']).toBe(false);
    expect(body['testResults']).toEqual([
      { interactionId: 'id-1', success: true },
      { interactionId: 'id-4', success: true },
      { interactionId: 'id-2', success: false, mismatches: [{ attribute: 'error', description: 'HERALD_REPLY_MISMATCH: the reply differs' }] },
    ]);
  });

  it('marks every interaction of a pending pact pending, request/reply ones too', () => {
    const pact = forVerification(true);
    expect(pact.contract.interactions.every((i) => i.pending)).toBe(true);
    expect(pact.contract.synchronous?.every((i) => i.pending)).toBe(true);
    expect(forVerification(false).contract.synchronous?.every((i) => !i.pending)).toBe(true);
  });
});
