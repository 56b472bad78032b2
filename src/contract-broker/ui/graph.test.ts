/** The integrations graph's layout: columns by longest consumer path, cycles terminate, labels capped. */
import { integrationGraph, type GraphEdge } from './graph';

function integration(consumer: string, provider: string, channels: string[] = ['topic t']): GraphEdge {
  return { consumer, provider, channels, verification: undefined };
}

/** The x of each node's box, by name. */
function columns(svg: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const match of svg.matchAll(/<rect x="(\d+)" y="\d+" width="190"[^>]*\/>\s*<text[^>]*>([^<]+)<\/text>/g)) out[match[2] ?? ''] = Number(match[1]);
  return out;
}

describe('integrationGraph', () => {
  it('puts a service that is both provider and consumer between its consumer and its provider', () => {
    const x = columns(integrationGraph([integration('web', 'orders'), integration('orders', 'stock')]).text);
    expect(x['web']).toBeLessThan(x['orders'] ?? 0);
    expect(x['orders']).toBeLessThan(x['stock'] ?? 0);
  });

  it('lays out a cycle of integrations without looping forever', () => {
    const x = columns(integrationGraph([integration('a', 'b'), integration('b', 'a')]).text);
    expect(Object.keys(x).sort()).toEqual(['a', 'b']);
  });

  it('shows at most three channel labels per edge and says how many more', () => {
    const svg = integrationGraph([integration('a', 'b', ['topic 1', 'topic 2', 'topic 3', 'topic 4', 'topic 5'])]).text;
    expect([...svg.matchAll(/<text x="\d+" y="\d+" text-anchor="middle">(topic \d|\+\d more)<\/text>/g)].map((m) => m[1])).toEqual(['topic 1', 'topic 2', 'topic 3', '+2 more']);
  });

  it('tells how to get integrations when there are none', () => {
    expect(integrationGraph([]).text).toContain('No contracts published yet');
  });
});
