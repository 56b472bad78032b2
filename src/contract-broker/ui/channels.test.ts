/** Channel labels from stored pacts, wherever the writer kept the channel. */
import { messagePact } from '../__fixtures__/pacts';
import { uiPact } from '../__fixtures__/ui-pacts';
import { channelLabels, channelOfInteraction } from './channels';

describe('channel labels', () => {
  it('reads Herald block channels, Kafka and AMQP, sorted and distinct', () => {
    const pact = uiPact('c', 'p', { topic: 'orders' });
    expect(channelLabels(JSON.stringify(pact))).toEqual(['exchange pricing · quote.request', 'topic orders']);
  });

  it('reads the channel from the comments copy the Pact CLI keeps, and from metadata of other writers', () => {
    expect(channelOfInteraction({ comments: { herald: { channel: { transport: 'amqp', exchange: '', routingKey: 'jobs', queue: 'jobs' } } } })).toEqual({
      transport: 'amqp',
      exchange: '',
      routingKey: 'jobs',
      queue: 'jobs',
    });
    expect(channelLabels(JSON.stringify(messagePact('c', 'p')))).toEqual(['topic orders']);
    expect(channelLabels(JSON.stringify({ messages: [{ metadata: { amqp_exchange: 'billing' } }, { metadata: { herald_transport: 'sqs', herald_channel: 'invoices' } }] }))).toEqual([
      'exchange billing',
      'sqs invoices',
    ]);
  });

  it('gives no label for a message without channel data', () => {
    expect(channelLabels(JSON.stringify({ interactions: [{ description: 'x', metadata: { contentType: 'application/json' } }] }))).toEqual([]);
  });
});
