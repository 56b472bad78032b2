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
