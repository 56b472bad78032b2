import { OpenOnce } from './open-once';

describe('OpenOnce', () => {
  it('opens once and shares the client', async () => {
    let opened = 0;
    const client = new OpenOnce(async () => ({ n: ++opened }));
    const [a, b] = await Promise.all([client.get(), client.get()]);
    expect(a).toBe(b);
    expect(opened).toBe(1);
  });

  it('forgets a failed opening so the next call retries', async () => {
    let attempts = 0;
    const client = new OpenOnce(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('broker not ready');
      return 'connected';
    });
    await expect(client.get()).rejects.toThrow('broker not ready');
    await expect(client.get()).resolves.toBe('connected');
  });

  it('forgets a client the broker closed, but not a newer one', async () => {
    let opened = 0;
    const client = new OpenOnce(async () => ({ n: ++opened }));
    const first = await client.get();
    client.forgetIf(first);
    const second = await client.get();
    expect(second.n).toBe(2);
    client.forgetIf(first);
    expect(await client.get()).toBe(second);
  });

  it('hands the client over for closing', async () => {
    const client = new OpenOnce(async () => 'c');
    await client.get();
    await expect(client.take()).resolves.toBe('c');
    expect(client.take()).toBeUndefined();
  });
});
