/** Renders docs/errors.md from the error catalogue (test/unit/errors-catalogue.test.ts keeps them in sync). */
import { errorCatalogue, type ErrorCodeInfo } from './codes';

export function renderErrorsDoc(): string {
  const lines = [
    '# Herald error codes',
    '',
    'Every error Herald raises is a `HeraldError` with a stable `code`, context fields (`contractFile`,',
    '`interaction`, `pointer`, `topic`…), `retriable` for transport errors, and `cause`. Check codes with',
    '`hasErrorCode(error, code)` rather than `instanceof` (jest realms break `instanceof`).',
    '',
    'This file is generated from `src/errors/codes.ts` by `npx tsx scripts/errors-doc.ts`.',
    '',
    '| code | what happened | how to fix |',
    '| --- | --- | --- |',
  ];
  for (const [code, info] of Object.entries(errorCatalogue) as [string, ErrorCodeInfo][]) {
    lines.push(`| \`${code}\` | ${info.what.replace(/\|/g, '\\|')} | ${info.fix.replace(/\|/g, '\\|')} |`);
  }
  return `${lines.join('\n')}\n`;
}
