/** `--start-broker` says it is starting a broker before the 15–30 s start-up, so the run is not silent. */
import { openBrokerSource } from './broker-source';

jest.mock('./load-module', () => ({
  importUserModule: () => Promise.resolve({ name: 'orders', triggers: { 'an OrderPlaced event': () => undefined } }),
}));
jest.mock('herald/kafka', () => ({
  startKafkaBroker: () => Promise.reject(new Error('no Docker in this test')),
}));

it('announces the Kafka start before waiting for it', async () => {
  const lines: string[] = [];
  const opening = openBrokerSource({ transport: 'kafka', triggers: 'triggers.ts', startBroker: true, namespace: true }, process.cwd(), {}, (line) => lines.push(line));
  await expect(opening).rejects.toThrow('no Docker in this test');
  expect(lines).toEqual(['Starting Kafka in Docker for this run (--start-broker; 15–30 s)…\n']);
});
