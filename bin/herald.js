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

let crashed = false;

/**
 * Exits once both streams have flushed, so a large report piped to another process is not cut
 * short; after one more turn of the event loop, so that a pending stray rejection is still seen.
 */
function exit(code) {
  setImmediate(() => {
    let pending = 2;
    const done = () => {
      pending -= 1;
      if (pending === 0) process.exit(crashed ? 2 : code);
    };
    process.stdout.write('', done);
    process.stderr.write('', done);
  });
}

/** A stray error from user code (a rejected promise nobody awaited, a throwing timer) makes the run untrustworthy: exit 2, not 1. */
function crash(kind) {
  return (error) => {
    crashed = true;
    const detail = error && error.stack ? error.stack : String(error);
    process.stderr.write(`Error: ${kind} while verifying, most likely in the factories or state handlers; the results cannot be trusted. Await every promise the factories start.\n${detail}\n`);
    exit(2);
  };
}

async function run() {
  process.on('unhandledRejection', crash('an unhandled promise rejection'));
  process.on('uncaughtException', crash('an uncaught exception'));
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
