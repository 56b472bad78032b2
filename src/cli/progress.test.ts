import { ProgressLines } from './progress';

const at = (done: number, current?: string) => ({
  done,
  total: 120,
  passed: done,
  failed: 0,
  current: current === undefined ? undefined : { description: current, consumer: 'shipping', startedAt: 0 },
});

/** A clock the test moves by hand. */
function clock(): { now: () => number; advance: (ms: number) => void } {
  let time = 0;
  return { now: () => time, advance: (ms) => (time += ms) };
}

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

  it("prints from the run's own updates once an interval has passed, when the timer never gets a turn", () => {
    const lines: string[] = [];
    const time = clock();
    const progress = new ProgressLines((line) => lines.push(line), 5_000, time);
    progress.update(at(0, 'an event 0'));
    time.advance(4_000);
    progress.update(at(40, 'an event 40'));
    expect(lines).toEqual([]);
    time.advance(1_000);
    progress.update(at(50, 'an event 50'));
    time.advance(1_000);
    progress.update(at(60, 'an event 60'));
    progress.stop();
    expect(lines).toEqual(['herald: 50/120 interactions done (50 passed, 0 failed) in 5 s; now "an event 50" (shipping), for 5 s\n']);
  });

  describe('on a terminal', () => {
    it('stays silent for a quick run', () => {
      const lines: string[] = [];
      const time = clock();
      const progress = new ProgressLines((line) => lines.push(line), 5_000, { live: true, now: time.now });
      progress.update(at(0, 'an event 0'));
      time.advance(900);
      progress.update(at(119));
      progress.stop();
      expect(lines).toEqual([]);
    });

    it('redraws one line in place, at most every 100 ms, and erases it before other output and at the end', () => {
      const lines: string[] = [];
      const time = clock();
      const progress = new ProgressLines((line) => lines.push(line), 5_000, { live: true, now: time.now });
      progress.update(at(0, 'an event 0'));
      time.advance(1_000);
      progress.update(at(10, 'an event 10'));
      time.advance(50);
      progress.update(at(11, 'an event 11'));
      time.advance(50);
      progress.update(at(12, 'an event 12'));
      progress.clear();
      progress.update(at(13, 'an event 13'));
      progress.stop();
      expect(lines).toEqual([
        '\r\u001b[Kherald: 10/120 interactions done (10 passed, 0 failed) in 1 s; now "an event 10" (shipping), for 1 s',
        '\r\u001b[Kherald: 12/120 interactions done (12 passed, 0 failed) in 1 s; now "an event 12" (shipping), for 1 s',
        '\r\u001b[K',
        '\r\u001b[Kherald: 13/120 interactions done (13 passed, 0 failed) in 1 s; now "an event 13" (shipping), for 1 s',
        '\r\u001b[K',
      ]);
    });
  });
});
