import { ProgressLines } from './progress';

describe('ProgressLines', () => {
  it('prints where a long run is on a timer, even while one interaction hangs', async () => {
    const lines: string[] = [];
    const progress = new ProgressLines((line) => lines.push(line), 20);
    progress.update({ done: 120, total: 1500, passed: 118, failed: 2, current: { description: 'an OrderPlaced event', consumer: 'shipping', startedAt: Date.now() } });
    await new Promise((resolve) => setTimeout(resolve, 90));
    progress.stop();
    const count = lines.length;
    expect(count).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/^herald: 120\/1500 interactions done \(118 passed, 2 failed\) in \d+ s; now "an OrderPlaced event" \(shipping\), for \d+ s\n$/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toHaveLength(count);
  });

  it('prints nothing with interval 0', () => {
    const lines: string[] = [];
    const progress = new ProgressLines((line) => lines.push(line), 0);
    progress.update({ done: 0, total: 1, passed: 0, failed: 0, current: undefined });
    progress.stop();
    expect(lines).toEqual([]);
  });
});
