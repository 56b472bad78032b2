// Regenerates docs/errors.md from the error catalogue.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderErrorsDoc } from '../src/errors/catalogue-doc';

writeFileSync(path.resolve(__dirname, '../docs/errors.md'), renderErrorsDoc());
console.log('docs/errors.md written');
