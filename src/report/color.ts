/**
 * Whether to colour output, by the conventions terminals and CI agree on: FORCE_COLOR forces it
 * (FORCE_COLOR=0 or false turns it off), NO_COLOR (non-empty) turns it off, otherwise only a TTY
 * that is not TERM=dumb gets colour.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export function shouldColor(isTTY: boolean, env: Env): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) {
    if (force === '0' || force.toLowerCase() === 'false') return false;
    return true;
  }
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return isTTY && env['TERM'] !== 'dumb';
}

const CODES = { red: 31, green: 32, yellow: 33, cyan: 36, bold: 1, dim: 2 } as const;

export type Paint = (text: string) => string;
export type Palette = { readonly [K in keyof typeof CODES]: Paint };

/** ANSI painters, or identity functions when colour is off. */
export function palette(color: boolean): Palette {
  const make = (code: number): Paint => (color ? (text) => `\u001b[${code}m${text}\u001b[0m` : (text) => text);
  return { red: make(CODES.red), green: make(CODES.green), yellow: make(CODES.yellow), cyan: make(CODES.cyan), bold: make(CODES.bold), dim: make(CODES.dim) };
}
