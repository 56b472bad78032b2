/**
 * What Odd Jobs expects from the contractors service. It declares the whole ContractorUpdated
 * payload it receives, but its handler reads only `available` (and the key): the recorded usage in
 * contracts/odd-jobs-contractors.json says so, and a change to `stock` does not concern it.
 */
import { consumer, kafkaTopic, m } from 'herald';

export const contractorUpdated = consumer('odd-jobs')
  .expectsFrom('contractors')
  .message('a ContractorUpdated event')
  .on(kafkaTopic('contractors.updated.v1'))
  .withKey(m.uuid('0b8f3f9e-3c1a-4a55-9b5e-2d7c8a1e4f60'))
  .withPayload({
    contractorId: m.uuid('0b8f3f9e-3c1a-4a55-9b5e-2d7c8a1e4f60'),
    name: m.string('Ada Builders'),
    available: m.boolean(true),
    stock: m.regex(/^[0-9]+$/, '12'),
    updatedAt: m.datetime(),
  });
