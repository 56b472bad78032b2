import { absorbStrayError, interrupt, interruptedSignal, onInterrupt, onProcessEnd, onStrayError, runCleanups } from './lifecycle';

describe('CLI lifecycle', () => {
  it('runs registered cleanups once, bounded, and not the released ones', async () => {
    const ran: string[] = [];
    onProcessEnd('a', async () => void ran.push('a'));
    const release = onProcessEnd('b', async () => void ran.push('b'));
    onProcessEnd('hangs', () => new Promise(() => undefined));
    release();
    const log: string[] = [];
    // A cleanup that never settles is cut off: the await returns (a hang fails the test by its timeout).
    await runCleanups(50, (line) => log.push(line));
    expect(ran).toEqual(['a']);
    expect(log).toEqual([expect.stringMatching(/^Failed to stop hangs: it did not finish within 50 ms/)]);
    await runCleanups(50);
    expect(ran).toEqual(['a']);
  });

  it('offers stray errors to the running verification only', () => {
    expect(absorbStrayError(new Error('Heartbeat timeout'))).toBe(false);
    const off = onStrayError((e) => /Heartbeat/.test(String(e)));
    expect(absorbStrayError(new Error('Heartbeat timeout'))).toBe(true);
    expect(absorbStrayError(new TypeError('x is undefined'))).toBe(false);
    off();
    expect(absorbStrayError(new Error('Heartbeat timeout'))).toBe(false);
  });

  it('tells runs of a signal, also runs that register after it', () => {
    const heard: string[] = [];
    onInterrupt((s) => heard.push(`early ${s}`));
    interrupt('SIGTERM');
    onInterrupt((s) => heard.push(`late ${s}`));
    expect(heard).toEqual(['early SIGTERM', 'late SIGTERM']);
    expect(interruptedSignal()).toBe('SIGTERM');
  });
});
