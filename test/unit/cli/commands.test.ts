/** The command table in main.ts names each command without loading its module: its summaries must match the modules'. */
import { ASYNCAPI_SUMMARY, ASYNCAPI_USAGE } from '../../../src/cli/asyncapi-command';
import { COMPARE_SUMMARY, COMPARE_USAGE } from '../../../src/cli/compare-command';
import { DIFF_SUMMARY, DIFF_USAGE } from '../../../src/cli/diff-command';
import { CONTRACT_TEST_SUMMARY, CONTRACT_TEST_USAGE } from '../../../src/cli/contract-test-command';
import { COMMANDS } from '../../../src/cli/main';
import { VERIFY_USAGE } from '../../../src/cli/verify-command';

describe('the lazily loaded command table', () => {
  it.each([
    ['compare', COMPARE_SUMMARY, COMPARE_USAGE],
    ['diff', DIFF_SUMMARY, DIFF_USAGE],
    ['asyncapi', ASYNCAPI_SUMMARY, ASYNCAPI_USAGE],
    ['contract-test', CONTRACT_TEST_SUMMARY, CONTRACT_TEST_USAGE],
  ])('gives %s the summary and usage its module exports', (name, summary, usage) => {
    expect(COMMANDS[name]?.summary).toBe(summary);
    expect(COMMANDS[name]?.usage()).toBe(usage);
  });

  it('gives verify its usage text', () => {
    expect(COMMANDS['verify']?.usage()).toBe(VERIFY_USAGE);
  });
});
