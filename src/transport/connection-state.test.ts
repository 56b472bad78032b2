import { ConnectionState } from './connection-state';
import { transportError } from './errors';

const lost = (n: number) => transportError('HERALD_TRANSPORT_DISCONNECTED', `Failed to keep receiving: the connection was lost (${n}). Retry once the broker is back.`);

describe('ConnectionState', () => {
  it('tells every watcher once, ends the watches, and starts / stops the probe with the first / last watcher', () => {
    const watched: boolean[] = [];
    const state = new ConnectionState((w) => watched.push(w));
    const heard: string[] = [];
    const offA = state.watch((e) => heard.push(`a ${e.message}`));
    state.watch((e) => heard.push(`b ${e.message}`));
    expect(watched).toEqual([true]);
    state.lose(lost(1));
    state.lose(lost(2));
    expect(heard).toEqual([
      'a Failed to keep receiving: the connection was lost (1). Retry once the broker is back.',
      'b Failed to keep receiving: the connection was lost (1). Retry once the broker is back.',
    ]);
    expect(watched).toEqual([true, false]);
    expect(state.watched).toBe(false);
    offA();
    expect(watched).toEqual([true, false]);
  });

  it('a later watch (a new run) hears only of later losses', () => {
    const state = new ConnectionState();
    state.lose(lost(1));
    const heard: number[] = [];
    const off = state.watch(() => heard.push(2));
    expect(heard).toEqual([]);
    state.lose(lost(2));
    expect(heard).toEqual([2]);
    off();
  });
});
