/**
 * HTML built only through the `html` tag: every interpolated string is escaped, so contract data
 * (names, payloads, headers) can never become markup. `Html` values (other `html` results) and
 * arrays of them are inserted as they are.
 */

/** A fragment of markup produced by `html` (or `raw` for constant markup). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map((item: HtmlValue) => render(item)).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** The tag: html`<td>${name}</td>` escapes `name`. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new Html(out);
}

/** Constant markup written in this code (never contract data). */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** A path from segments, each percent-encoded: href(['ui', 'contracts', name]) → /ui/contracts/<name>. */
export function href(segments: readonly string[], fragment?: string): string {
  return `/${segments.map(encodeURIComponent).join('/')}${fragment === undefined ? '' : `#${encodeURIComponent(fragment)}`}`;
}

/** JSON pretty-printed for a <pre> block (escaped when interpolated). */
export function prettyJson(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value, null, 2);
}
