import fc from 'fast-check';
import { connectError, redactUrl, vhostOf } from './errors';

// Anything a password may hold, raw: '@', ':', '/', '?', '#', '%', spaces, non-ASCII.
const password = fc.string({ unit: fc.constantFrom(..."aZ9@:/?#%& .-_~!$'()*+,;=[]é🔑".split(/(?:)/u)), minLength: 1, maxLength: 24 });
const user = fc.string({ unit: fc.constantFrom(...'abcXYZ019._-@%!'.split('')), maxLength: 12 });
const host = fc.constantFrom('localhost', 'rabbit.internal', '127.0.0.1', '[::1]', 'mq-1.example.com');
const tail = fc.constantFrom('', '/', '/%2F', '/orders', '/team%2Fa', '/v?heartbeat=5', '?frameMax=0', '/x#frag');

describe('redactUrl', () => {
  it('hides a password holding a raw @ entirely', () => {
    expect(redactUrl('amqp://app:p@ss@rabbit:5672/orders')).toBe('amqp://app:***@rabbit:5672/orders');
    expect(redactUrl('amqps://app:a@b@c/d?e#f@rabbit/vh')).toBe('amqps://app:***@rabbit/vh');
  });

  it('prints no part of any password, and keeps user, host and path as they are (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('amqp', 'amqps', 'AMQP'), user, password, host, fc.constantFrom('', ':5672', ':1'), tail, (scheme, u, p, h, port, t) => {
        const url = `${scheme}://${u.replace(/:/g, '')}:${p}@${h}${port}${t}`;
        expect(redactUrl(url)).toBe(`${scheme}://${u.replace(/:/g, '')}:***@${h}${port}${t}`);
      }),
      { numRuns: 2_000 },
    );
  });

  it('hides the password in connection errors (property)', () => {
    fc.assert(
      fc.property(
        user,
        password.filter((p) => p.length >= 4),
        host,
        (u, p, h) => {
          const url = `amqp://${u.replace(/:/g, '')}:${p}@${h}:5672/`;
          const message = connectError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), url).message;
          expect(message).not.toContain(p);
          expect(message).toContain(':***@');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('leaves URLs without a password alone', () => {
    expect(redactUrl('amqp://rabbit:5672/')).toBe('amqp://rabbit:5672/');
    expect(redactUrl('amqp://guest@rabbit/')).toBe('amqp://guest@rabbit/');
  });
});

describe('vhostOf and the wrong-vhost hint', () => {
  it('reads the vhost from the URL path, decoded', () => {
    expect(vhostOf('amqp://u:p@h:5672')).toBe('/');
    expect(vhostOf('amqp://u:p@h:5672/')).toBe('/');
    expect(vhostOf('amqp://u:p@h:5672/%2F')).toBe('/');
    expect(vhostOf('amqp://u:p/x@h:5672/orders?heartbeat=5')).toBe('orders');
  });

  it('names the vhost and how to write it in the URL when the broker refuses it', () => {
    const error = new Error('Connection closed: 530 (NOT-ALLOWED) with message "NOT_ALLOWED - vhost staging not found"');
    const e = connectError(error, 'amqp://guest:s3cr@t@localhost:5672/staging');
    expect(e.code).toBe('HERALD_TRANSPORT_AUTH_FAILED');
    expect(e.message).toContain('the virtual host "staging" does not exist or this user may not use it');
    expect(e.message).toContain('amqp://host:5672/%2F (or no path) is the default "/"');
    expect(e.message).toContain('rabbitmqctl add_vhost staging');
    expect(e.message).not.toContain('s3cr');
  });
});
