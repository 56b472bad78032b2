/** The page shell: title, navigation trail and the stylesheet (inline: the page loads nothing else). */
import { html, raw, type Html, type HtmlValue } from './html';
import { uiPaths } from './paths';

const STYLE = raw(`
:root { color-scheme: light; --ok: #1a7f37; --fail: #cf222e; --unknown: #9a6700; --muted: #57606a; --line: #d0d7de; --accent: #0969da; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
header { background: #24292f; color: #fff; padding: 10px 24px; display: flex; gap: 16px; align-items: baseline; }
header a { color: #fff; text-decoration: none; font-weight: 600; }
header nav { color: #afb8c1; }
header nav a { color: #afb8c1; font-weight: 400; }
main { padding: 16px 24px 48px; max-width: 1280px; }
h1 { font-size: 20px; margin: 8px 0 16px; }
h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
a { color: var(--accent); }
table { border-collapse: collapse; background: #fff; width: 100%; }
dd table { width: auto; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eaeef2; font-weight: 600; }
pre { background: #fff; border: 1px solid var(--line); padding: 8px; overflow: auto; max-height: 420px; margin: 4px 0; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
.status-ok { color: var(--ok); font-weight: 600; }
.status-fail { color: var(--fail); font-weight: 600; }
.status-unknown { color: var(--unknown); font-weight: 600; }
.muted { color: var(--muted); }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 12px 0; }
.grid { display: grid; grid-template-columns: 160px 1fr; gap: 4px 12px; }
.grid > dt { color: var(--muted); }
.grid > dd { margin: 0; }
.tag { display: inline-block; border: 1px solid var(--line); border-radius: 10px; padding: 0 6px; margin: 0 2px 2px 0; font-size: 12px; background: #f6f8fa; }
svg.graph { background: #fff; border: 1px solid var(--line); border-radius: 6px; max-width: 100%; height: auto; }
svg.graph .node rect { fill: #ddf4ff; stroke: #54aeff; }
svg.graph .node.provider rect { fill: #fff8c5; stroke: #d4a72c; }
svg.graph .node text { font: 13px system-ui, sans-serif; fill: #1f2328; }
svg.graph .edge path { fill: none; stroke: #8c959f; stroke-width: 1.5; }
svg.graph .edge.fail path { stroke: var(--fail); }
svg.graph .edge.ok path { stroke: var(--ok); }
svg.graph .edge text { font: 12px ui-monospace, monospace; fill: #1f2328; }
svg.graph .edge rect { fill: #fff; opacity: 0.9; }
svg.graph a:hover text { text-decoration: underline; }
`);

/** A whole page. `trail` is the navigation after the home link. */
export function page(title: string, body: HtmlValue, trail: readonly { readonly label: string; readonly href?: string }[] = []): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Herald Broker</title>
        <style>
          ${STYLE}
        </style>
      </head>
      <body>
        <header>
          <a href="${uiPaths.home()}">Herald Broker</a>
          <nav>${trail.map((step) => html` / ${step.href === undefined ? step.label : html`<a href="${step.href}">${step.label}</a>`}`)}</nav>
        </header>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html> `;
}

/** A success / failure / unknown marker. */
export function status(success: boolean | undefined): Html {
  if (success === undefined) return html`<span class="status-unknown">not verified</span>`;
  return success ? html`<span class="status-ok">✔ passed</span>` : html`<span class="status-fail">✘ failed</span>`;
}

/** Tags (branches, environments…) as small labels; `empty` when there are none. */
export function tags(items: readonly string[], empty = '—'): Html {
  return items.length === 0 ? html`<span class="muted">${empty}</span>` : html`${items.map((item) => html`<span class="tag">${item}</span>`)}`;
}
