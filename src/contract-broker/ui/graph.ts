/**
 * The integrations as an inline SVG graph: consumers on the left, the providers they need to the
 * right (layered by longest path, so a service that is both sits between), edges labelled with
 * the topics / exchanges of the latest pact and linked to the pair's page.
 */
import { html, type Html } from './html';
import type { Integration } from './integrations';
import { uiPaths } from './paths';

const NODE_WIDTH = 190;
const NODE_HEIGHT = 36;
const COLUMN_GAP = 320;
const ROW_GAP = 34;
const MARGIN = 24;
const LABEL_LINES = 3;

interface Placed {
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly isProvider: boolean;
}

/** Layer of each pacticipant: 0 for pure consumers, else one more than its furthest consumer (cycles stop growing after n rounds). */
function layers(integrations: readonly GraphEdge[]): Map<string, number> {
  const layer = new Map<string, number>();
  for (const i of integrations) {
    layer.set(i.consumer, 0);
    layer.set(i.provider, 0);
  }
  for (let round = 0; round < layer.size; round++) {
    let changed = false;
    for (const i of integrations) {
      const wanted = (layer.get(i.consumer) ?? 0) + 1;
      if (i.consumer !== i.provider && (layer.get(i.provider) ?? 0) < wanted && wanted < layer.size) {
        layer.set(i.provider, wanted);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return layer;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** What the graph needs of an integration. */
export type GraphEdge = Pick<Integration, 'consumer' | 'provider' | 'channels' | 'verification'>;

export function integrationGraph(integrations: readonly GraphEdge[]): Html {
  if (integrations.length === 0) return html`<p class="muted">No contracts published yet: publish one (herald publish, or pact-broker publish) and the integrations appear here.</p>`;
  const layer = layers(integrations);
  const providers = new Set(integrations.map((i) => i.provider));
  const columns = new Map<number, string[]>();
  for (const [name, index] of [...layer].sort(([a], [b]) => a.localeCompare(b))) columns.set(index, [...(columns.get(index) ?? []), name]);
  const placed = new Map<string, Placed>();
  let height = 0;
  for (const [index, names] of columns) {
    names.forEach((name, row) => {
      const y = MARGIN + row * (NODE_HEIGHT + ROW_GAP + LABEL_LINES * 6);
      placed.set(name, { name, x: MARGIN + index * (NODE_WIDTH + COLUMN_GAP), y, isProvider: providers.has(name) });
      height = Math.max(height, y + NODE_HEIGHT + MARGIN);
    });
  }
  const width = MARGIN * 2 + Math.max(...columns.keys()) * (NODE_WIDTH + COLUMN_GAP) + NODE_WIDTH;

  const edges = integrations.map((i) => {
    const from = placed.get(i.consumer);
    const to = placed.get(i.provider);
    if (from === undefined || to === undefined) return html``;
    const [x1, y1] = [from.x + NODE_WIDTH, from.y + NODE_HEIGHT / 2];
    const [x2, y2] = [to.x, to.y + NODE_HEIGHT / 2];
    const bend = Math.max(60, Math.abs(x2 - x1) / 2);
    const path = `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
    const shown = i.channels.slice(0, LABEL_LINES).map((label) => shorten(label, 34));
    if (i.channels.length > LABEL_LINES) shown.push(`+${i.channels.length - LABEL_LINES} more`);
    if (shown.length === 0) shown.push('(no channel)');
    const [mx, my] = [(x1 + x2) / 2, (y1 + y2) / 2 - (shown.length * 14) / 2];
    const labelWidth = Math.round(Math.max(...shown.map((s) => s.length)) * 7.4 + 8);
    const state = i.verification === undefined ? 'unknown' : i.verification.success ? 'ok' : 'fail';
    return html`<g class="edge ${state}" data-consumer="${i.consumer}" data-provider="${i.provider}"
      ><a href="${uiPaths.integration(i.consumer, i.provider)}">
        <title>${i.consumer} → ${i.provider}: ${i.channels.join(', ') || 'no channel'} (${state === 'ok' ? 'verified' : state === 'fail' ? 'verification failed' : 'not verified'})</title>
        <path d="${path}" marker-end="url(#arrow)" />
        <rect x="${mx - labelWidth / 2}" y="${my - 2}" width="${labelWidth}" height="${shown.length * 14 + 4}" rx="3" />
        ${shown.map((line, index) => html`<text x="${mx}" y="${my + 11 + index * 14}" text-anchor="middle">${line}</text>`)}
      </a></g
    >`;
  });
  const nodes = [...placed.values()].map(
    (node) =>
      html`<g class="node${node.isProvider ? ' provider' : ''}"
        ><a href="${uiPaths.pacticipant(node.name)}"
          ><title>${node.name}</title>
          <rect x="${node.x}" y="${node.y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="6" />
          <text x="${node.x + NODE_WIDTH / 2}" y="${node.y + NODE_HEIGHT / 2 + 5}" text-anchor="middle">${shorten(node.name, 26)}</text></a
        ></g
      >`,
  );
  return html`<svg class="graph" role="img" aria-label="Integrations: consumers to providers" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
    <defs>
      <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8c959f" /></marker>
    </defs>
    ${edges} ${nodes}
  </svg>`;
}
