/**
 * Optional peer dependencies (kafkajs, amqplib, testcontainers): loaded on first use, so Herald's
 * core and the adapters a project does not use never require them. A missing one raises
 * HERALD_PEER_MISSING with the install command.
 */
import { HeraldError } from '../errors/herald-error';

function isModuleNotFound(error: unknown, name: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  // Only the peer itself: a broken install missing one of the peer's own dependencies is rethrown.
  return code === 'MODULE_NOT_FOUND' && typeof message === 'string' && (message.includes(`'${name}'`) || message.includes(`"${name}"`));
}

/**
 * Loads an optional peer dependency.
 *
 * @param name   the package name, e.g. 'kafkajs'
 * @param feature what needs it, for the message: 'the Kafka adapter (herald/kafka)'
 * @param load   how to load it (tests pass a loader that throws MODULE_NOT_FOUND)
 *
 * @example
 * const { Kafka } = loadPeer<typeof import('kafkajs')>('kafkajs', 'the Kafka adapter (herald/kafka)');
 */
export function loadPeer<T>(name: string, feature: string, load: () => unknown = () => require(name) as unknown): T {
  try {
    return load() as T;
  } catch (error) {
    if (!isModuleNotFound(error, name)) throw error;
    throw new HeraldError(
      'HERALD_PEER_MISSING',
      `Failed to load ${name}, which ${feature} needs: it is not installed. Install it with \`npm install --save-dev ${name}\` (it is an optional peer dependency of herald).`,
      { cause: error },
    );
  }
}
