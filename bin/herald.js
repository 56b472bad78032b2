#!/usr/bin/env node
// The herald CLI. Registers tsx for require() and import() so that Herald's TypeScript sources and
// the user's factories (.ts .mts .cts .js .mjs .cjs) load with no build step, then runs src/cli/main.ts.
'use strict';

const path = require('node:path');

/** Registers tsx's require() hook, then its import() hook. */
async function registerTsx() {
  require('tsx/cjs/api').register();
  // The ESM build of tsx/esm/api: tsx 4.23's CommonJS build resolves its loader from the wrong
  // directory (dist/esm/api/esm/index.mjs) and throws ERR_MODULE_NOT_FOUND.
  const { register } = await import('tsx/esm/api');
  register();
}

/** Exits once both streams have flushed, so a large report piped to another process is not cut short. */
function exit(code) {
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

async function run() {
  await registerTsx();
  const { main } = require(path.join(__dirname, '..', 'src', 'cli', 'main.ts'));
  return main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
  });
}

run().then(exit, (error) => {
  process.stderr.write(`Error: Herald crashed. This is a bug in Herald; please report it with this output.\n${error && error.stack ? error.stack : String(error)}\n`);
  exit(2);
});
