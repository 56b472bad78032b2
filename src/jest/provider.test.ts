import { verifyProviderInJest } from './provider';

describe('verifyProviderInJest before any consumer test ran', () => {
  it('says to run the consumer tests first when the contracts directory does not exist yet', () => {
    expect(() => verifyProviderInJest({ name: 'orders', messages: {} }, { contracts: ['no-such-dir/contracts/'] })).toThrow(
      expect.objectContaining({
        code: 'HERALD_CONTRACT_UNREADABLE',
        message: expect.stringContaining('no-such-dir/contracts/ does not exist yet. The consumer tests write the contracts: run them before the provider tests'),
      }),
    );
  });
});

describe('verifyProviderInJest with a broker source, before anything is fetched', () => {
  const definition = { name: 'orders', messages: {} };
  const broker = { url: 'http://127.0.0.1:9', providerVersion: '1.0.0' };

  it.each([
    [{ ...broker, url: 'localhost:9292' }, 'broker.url "localhost:9292" is not an http(s) URL'],
    [{ ...broker, providerVersion: ' ' }, 'broker.providerVersion is empty'],
    [{ ...broker, includeWipPactsSince: 'soon', providerVersionBranch: 'main' }, 'broker.includeWipPactsSince "soon" is not a date'],
    [{ ...broker, includeWipPactsSince: '2026-01-01' }, 'broker.includeWipPactsSince needs broker.providerVersionBranch'],
    [{ ...broker, consumerVersionSelectors: [{ matchingBranch: true }] }, 'a matchingBranch selector needs broker.providerVersionBranch'],
  ])('refuses %j with HERALD_USAGE', (source, message) => {
    expect(() => verifyProviderInJest(definition, { broker: source })).toThrow(expect.objectContaining({ code: 'HERALD_USAGE', message: expect.stringContaining(message) }));
  });
});
