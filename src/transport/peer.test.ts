import { HeraldError, isHeraldError, isTransportError } from 'herald';
import { loadPeer, transportError } from 'herald/adapter-kit';

const notFound = (name: string): Error => Object.assign(new Error(`Cannot find module '${name}' from 'somewhere.ts'`), { code: 'MODULE_NOT_FOUND' });

describe('loadPeer', () => {
  it('returns the module the loader gives', () => {
    expect(loadPeer<{ ok: boolean }>('kafkajs', 'the Kafka adapter', () => ({ ok: true }))).toEqual({ ok: true });
  });

  it('turns a missing peer into HERALD_PEER_MISSING with the install command', () => {
    let error: unknown;
    try {
      loadPeer('kafkajs', 'the Kafka adapter (herald/kafka)', () => {
        throw notFound('kafkajs');
      });
    } catch (e) {
      error = e;
    }
    expect(isHeraldError(error) && error.code).toBe('HERALD_PEER_MISSING');
    expect((error as Error).message).toContain('npm install --save-dev kafkajs');
    expect((error as Error).message).toContain('the Kafka adapter (herald/kafka)');
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('rethrows a missing dependency of the peer itself (a broken install), and other errors, unchanged', () => {
    const nested = notFound('long');
    expect(() =>
      loadPeer('kafkajs', 'the Kafka adapter', () => {
        throw nested;
      }),
    ).toThrow(nested);
    const other = new SyntaxError('bad');
    expect(() =>
      loadPeer('kafkajs', 'the Kafka adapter', () => {
        throw other;
      }),
    ).toThrow(other);
  });

  it('loads an installed package with the default loader', () => {
    expect(loadPeer<typeof import('node:path')>('node:path', 'a test').join('a', 'b')).toBe('a/b');
  });
});

describe('isTransportError', () => {
  it('is true for HERALD_TRANSPORT_* codes only, with their retriable flag', () => {
    const timeout = transportError('HERALD_TRANSPORT_TIMEOUT', 'Failed to wait.');
    expect(isTransportError(timeout) && timeout.retriable).toBe(true);
    expect(isTransportError(transportError('HERALD_TRANSPORT_CLOSED', 'Failed.'))).toBe(true);
    expect(isTransportError(new HeraldError('HERALD_PEER_MISSING', 'x'))).toBe(false);
    expect(isTransportError(new Error('x'))).toBe(false);
  });
});
