#!/usr/bin/env node
// The herald CLI: runs the compiled dist/cjs/src/cli/main.js. In Herald's own repository (src/ beside
// bin/, which the package does not ship) it runs the TypeScript sources through tsx instead, so
// working on Herald needs no build. tsx is otherwise registered only to load users' .ts modules.
'use strict';

const { existsSync } = require('node:fs');
const path = require('node:path');

/** The CLI's main and lifecycle modules: the sources in a checkout of Herald, the build when installed. */
function loadCli() {
  const source = path.join(__dirname, '..', 'src', 'cli');
  if (existsSync(path.join(source, 'main.ts'))) {
    require('tsx/cjs/api').register();
    return { main: require(path.join(source, 'main.ts')).main, lifecycle: require(path.join(source, 'lifecycle.ts')) };
  }
  const dist = path.join(__dirname, '..', 'dist', 'cjs');
  const built = path.join(dist, 'src', 'cli');
  // Herald's modules (and its dependencies') resolve from a manifest and compile with a V8 code cache;
  // not for the top-level help and version, which load a handful of small modules.
  const [first] = process.argv.slice(2);
  if (first !== undefined && !['--help', '-h', 'help', '--version', '-v', '-V'].includes(first)) {
    const cache = require(path.join(built, 'module-cache.js'));
    cache.installModuleCache({ distDir: dist, cacheDir: cache.defaultCacheDir(path.join(__dirname, '..')) });
  }
  return { main: require(path.join(built, 'main.js')).main, lifecycle: require(path.join(built, 'lifecycle.js')) };
}

let crashed = false;
/** src/cli/lifecycle.ts, once loaded: what Herald started, and the running verification. */
let lifecycle;
/** The exit status a signal asks for (130 SIGINT, 143 SIGTERM), once one arrived. */
let interrupted;
/** Bound on stopping what Herald started (a --start-broker container) when the process must end. */
const CLEANUP_MS = 30_000;
/** After a signal, how long the run may take to end and write its report before Herald stops things itself. */
const WIND_DOWN_MS = 15_000;

/**
 * Exits once both streams have flushed, so a large report piped to another process is not cut
 * short; after one more turn of the event loop, so that a pending stray rejection is still seen.
 */
function exit(code) {
  setImmediate(() => {
    let pending = 2;
    const done = () => {
      pending -= 1;
      if (pending === 0) process.exit(crashed ? 2 : (interrupted ?? code));
    };
    process.stdout.write('', done);
    process.stderr.write('', done);
  });
}

/** A stray error from user code (a rejected promise nobody awaited, a throwing timer) makes the run untrustworthy: exit 2, not 1. */
function crash(kind) {
  return (error) => {
    // A provider client that lost its broker (amqplib's heartbeat 'error' with no listener): the running verification takes it as its verdict.
    if (lifecycle !== undefined && !crashed && lifecycle.absorbStrayError(error)) return;
    if (crashed) return;
    crashed = true;
    const detail = error && error.stack ? error.stack : String(error);
    process.stderr.write(`Error: ${kind} while verifying, most likely in the factories or state handlers; the results cannot be trusted. Await every promise the factories start.\n${detail}\n`);
    stopStarted().then(() => exit(2));
  };
}

/** Stops what Herald started (bounded); never rejects. */
function stopStarted() {
  if (lifecycle === undefined) return Promise.resolve();
  return lifecycle.runCleanups(CLEANUP_MS, (line) => process.stderr.write(line)).catch(() => undefined);
}

/**
 * SIGINT / SIGTERM: the running verification ends (its interaction in progress, the rest not run),
 * writes its report and stops its broker; if it has not within WIND_DOWN_MS, Herald stops what it
 * started itself. A second signal stops at once. Exit 128 + the signal number.
 */
function onSignal(signal, code) {
  return () => {
    if (interrupted !== undefined || lifecycle === undefined) {
      process.stderr.write(`\n${signal}: stopping what Herald started and exiting now.\n`);
      interrupted = code;
      stopStarted().then(() => process.exit(code));
      return;
    }
    interrupted = code;
    process.stderr.write(`\nInterrupted by ${signal}: ending the run, writing the report and stopping what Herald started.\n`);
    lifecycle.interrupt(signal);
    setTimeout(() => stopStarted().then(() => process.exit(code)), WIND_DOWN_MS).unref();
  };
}

async function run() {
  process.on('unhandledRejection', crash('an unhandled promise rejection'));
  process.on('uncaughtException', crash('an uncaught exception'));
  process.on('SIGINT', onSignal('SIGINT', 130));
  process.on('SIGTERM', onSignal('SIGTERM', 143));
  const cli = loadCli();
  lifecycle = cli.lifecycle;
  const { main } = cli;
  return main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
  });
}

run().then(exit, (error) => {
  process.stderr.write(`Error: Herald crashed. This is a bug in Herald; please report it with this output.\n${error && error.stack ? error.stack : String(error)}\n`);
  exit(2);
});
