/**
 * A strict little XML 1.0 reader for the JUnit report tests: it throws on anything not well-formed
 * (unbalanced tags, unknown entities, raw `<` or `&`, characters XML forbids, duplicate attributes)
 * and returns the element tree with decoded attribute values and text.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NAME = '[A-Za-z_][A-Za-z0-9._-]*';
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`raw "<" in ${where}`);
  return raw.replace(/&([^;]*);|&/g, (whole, entity: string | undefined) => {
    if (entity === undefined) throw new Error(`bare "&" in ${where}`);
    const named = ENTITIES[entity];
    if (named !== undefined) return named;
    const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(entity);
    if (numeric === null) throw new Error(`unknown entity &${entity}; in ${where}`);
    const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
    const char = String.fromCodePoint(code);
    if (FORBIDDEN.test(char)) throw new Error(`character reference to a forbidden character (${whole}) in ${where}`);
    return char;
  });
}

/** Parses a whole document; throws with the reason when it is not well-formed. */
export function parseXml(text: string): XmlElement {
  const bad = FORBIDDEN.exec(text);
  if (bad !== null) throw new Error(`forbidden character U+${(bad[0].codePointAt(0) ?? 0).toString(16)} at ${bad.index}`);
  // Line-end normalisation (XML 1.0 §2.11), as every parser does before anything else.
  let rest = text.replace(/\r\n?/g, '\n').replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const tag = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"]*")*)\\s*(/?)>`);
  while (rest.length > 0) {
    const lt = rest.indexOf('<');
    const chunk = lt === -1 ? rest : rest.slice(0, lt);
    if (chunk.length > 0) {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        if (chunk.trim() !== '') throw new Error(`text outside the root element: ${JSON.stringify(chunk.slice(0, 40))}`);
      } else top.text += decode(chunk, `text of <${top.name}>`);
      if (lt === -1) break;
      rest = rest.slice(lt);
    }
    const match = tag.exec(rest);
    if (match === null) throw new Error(`malformed tag at ${JSON.stringify(rest.slice(0, 60))}`);
    const [whole, closing, name = '', rawAttributes = '', selfClosing] = match;
    rest = rest.slice(whole.length);
    if (closing === '/') {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}>`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const a of rawAttributes.matchAll(new RegExp(`(${NAME})\\s*=\\s*"([^"]*)"`, 'g'))) {
      const [, key = '', value = ''] = a;
      if (Object.hasOwn(attributes, key)) throw new Error(`duplicate attribute ${key} on <${name}>`);
      // Attribute-value normalisation (§3.3.3): literal tabs and line breaks become spaces.
      attributes[key] = decode(value.replace(/[\t\n]/g, ' '), `attribute ${key} of <${name}>`);
    }
    const element: XmlElement = { name, attributes, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      if (root !== undefined) throw new Error('more than one root element');
      root = element;
    } else parent.children.push(element);
    if (selfClosing !== '/') stack.push(element);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.map((e) => e.name).join('>, <')}>`);
  if (root === undefined) throw new Error('no root element');
  return root;
}

/** Every element named `name` below `root` (depth first). */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  return [...(root.name === name ? [root] : []), ...root.children.flatMap((child) => findAll(child, name))];
}
