/**
 * README's set-up blocks (```js / ```json) are excerpts of the scratch projects the package tests
 * install Herald into (test/package/projects/): each block names its file in a link just above it,
 * and stands in that file verbatim, so the set-up a user copies is the one CI runs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function setupBlocks(): { code: string; source: string | undefined; line: number }[] {
  const out: { code: string; source: string | undefined; line: number }[] = [];
  let previousEnd = 0;
  for (const match of README.matchAll(/```(?:js|json)\n([\s\S]*?)```/g)) {
    const before = README.slice(previousEnd, match.index);
    const links = [...before.matchAll(/\]\((test\/package\/projects\/[^)]+)\)/g)];
    out.push({ code: match[1] as string, source: links.at(-1)?.[1], line: README.slice(0, match.index).split('\n').length });
    previousEnd = (match.index ?? 0) + match[0].length;
  }
  return out.filter((b) => b.source !== undefined);
}

describe('README set-up', () => {
  const blocks = setupBlocks();

  it('finds the jest and package.json set-up blocks', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.map((b) => [b.line, b] as const))('the block at README line %i stands verbatim in the project file it links', (_line, block) => {
    const file = readFileSync(path.join(ROOT, block.source as string), 'utf8');
    expect(file).toContain(block.code);
  });
});
