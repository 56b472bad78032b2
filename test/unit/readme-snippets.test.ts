/**
 * README's TypeScript snippets are excerpts of files CI runs: each ```ts block names its file in a
 * link just above it, and every line of the block (except `// …` elisions) stands in that file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

interface Snippet {
  readonly code: string;
  readonly source: string | undefined;
  readonly line: number;
}

function snippets(): Snippet[] {
  const out: Snippet[] = [];
  const fence = /```ts\n([\s\S]*?)```/g;
  let previousEnd = 0;
  for (const match of README.matchAll(fence)) {
    const before = README.slice(previousEnd, match.index);
    const links = [...before.matchAll(/\]\(((?:examples|src|test)\/[^)]+\.ts)\)/g)];
    out.push({ code: match[1] as string, source: links.at(-1)?.[1], line: README.slice(0, match.index).split('\n').length });
    previousEnd = (match.index ?? 0) + match[0].length;
  }
  return out;
}

describe('README snippets', () => {
  const all = snippets();

  it('finds the TypeScript snippets', () => {
    expect(all.length).toBeGreaterThanOrEqual(3);
  });

  it.each(all.map((s) => [s.line, s] as const))('the snippet at README line %i is an excerpt of the file it links', (_line, snippet) => {
    expect(snippet.source).toBeDefined();
    const file = readFileSync(path.join(ROOT, snippet.source as string), 'utf8');
    const lines = new Set(file.split('\n').map((l) => l.trim()));
    const missing = snippet.code
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && l !== '// …' && !lines.has(l));
    expect(missing).toEqual([]);
  });
});
