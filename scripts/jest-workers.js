// How many jest workers scripts/test.js asks for. Jest's default on a 2-core machine is one worker
// (cores - 1), which runs every suite in band, one after another, while most suites of the
// integration, package, interop and differential projects wait on the processes they spawn or on
// timeouts: one more worker than cores keeps the cores busy through those waits. Runs that include
// the containers or browser project keep jest's default: each of their suites starts a broker or a
// browser that needs a core of its own for its start-up timeout.
'use strict';

/** Projects whose suites each need a core of their own (a broker in Docker, chromium). */
const HEAVY_PROJECTS = ['containers', 'browser'];
/** Every project of jest.config.js, the ones a run without --selectProjects runs. */
const ALL_PROJECTS = require('../jest.config.js').projects.map((project) => project.displayName);
const WORKER_FLAGS = /^(--maxWorkers|-w|--runInBand|-i)(=|$)/;

/** The values of a variadic jest option (`--selectProjects a b`, `--selectProjects=a`) in `args`. */
function optionValues(args, name) {
  const values = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith(`${name}=`)) values.push(arg.slice(name.length + 1));
    else if (arg === name) {
      for (i++; i < args.length && !args[i].startsWith('-'); i++) values.push(args[i]);
      i--;
    }
  }
  return values;
}

/** The projects a jest run with these arguments runs. */
function selectedProjects(args) {
  const selected = optionValues(args, '--selectProjects');
  const ignored = new Set(optionValues(args, '--ignoreProjects'));
  return (selected.length > 0 ? selected : ALL_PROJECTS).filter((name) => !ignored.has(name));
}

/** Whether a jest run with these arguments includes the containers or browser project (as a run of every project does). */
function runsHeavyProjects(args) {
  return selectedProjects(args).some((name) => HEAVY_PROJECTS.includes(name));
}

/**
 * The worker option to add to jest's arguments: none when the arguments already choose
 * (--maxWorkers, -w, --runInBand, -i) or the run includes a heavy project, else cores + 1 workers.
 *
 * @example workerArgs(['--selectProjects', 'unit', 'integration'], 2) // ['--maxWorkers=3']
 */
function workerArgs(args, cores) {
  if (args.some((arg) => WORKER_FLAGS.test(arg))) return [];
  if (runsHeavyProjects(args)) return [];
  return [`--maxWorkers=${cores + 1}`];
}

module.exports = { runsHeavyProjects, selectedProjects, workerArgs };
