#!/usr/bin/env node
// The herald CLI: runs the compiled dist/cjs/src/cli/main.js. In Herald's own repository (src/ beside
// bin/, which the package does not ship) it runs the TypeScript sources through tsx instead, so
// working on Herald needs no build. tsx is otherwise registered only to load users' .ts modules.
'use strict';

const { existsSync } = require('node:fs');
const path = require('node:path');

/** The CLI module: the sources in a checkout of Herald, the build when installed. */
function loadMain() {
  const source = path.join(__dirname, '..', 'src', 'cli', 'main.ts');
  if (existsSync(source)) {
    require('tsx/cjs/api').register();
    return require(source);
  }
  return require(path.join(__dirname, '..', 'dist', 'cjs', 'src', 'cli', 'main.js'));
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
  const { main } = loadMain();
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
