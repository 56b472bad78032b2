/** What Materials expects from the contractors service: the contractor and its stock, as text. */
import { consumer, kafkaTopic, m } from 'herald';

export const contractorUpdated = consumer('materials')
  .expectsFrom('contractors')
  .message('a ContractorUpdated event')
  .on(kafkaTopic('contractors.updated.v1'))
  .withPayload({
    contractorId: m.uuid('0b8f3f9e-3c1a-4a55-9b5e-2d7c8a1e4f60'),
    stock: m.regex(/^[0-9]+$/, '12'),
  });
