/**
 * Child process of `fetchBrokerPactsSync`: reads `{ client, options }` (JSON) on stdin, fetches the
 * pacts for verification from the broker and writes `{ entries }` or `{ error: { code, message } }`
 * (JSON) on stdout. A child, because jest defines tests synchronously and fetching is not.
 */
import { BrokerClient, type BrokerClientOptions } from '../broker-client/hal-client';
import { fetchPactEntries, type ForVerificationOptions } from '../broker-client/for-verification';
import { isHeraldError } from '../errors/herald-error';

async function run(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { client: BrokerClientOptions; options: ForVerificationOptions };
  try {
    const entries = await fetchPactEntries(new BrokerClient(request.client), request.options);
    process.stdout.write(JSON.stringify({ entries }));
  } catch (error) {
    const code = isHeraldError(error) ? error.code : 'HERALD_PACT_BROKER_UNREACHABLE';
    process.stdout.write(JSON.stringify({ error: { code, message: error instanceof Error ? error.message : String(error) } }));
  }
}

void run();
