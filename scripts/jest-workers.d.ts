// Types of scripts/jest-workers.js, for its unit test.
export function selectedProjects(args: readonly string[]): string[];
export function workerArgs(args: readonly string[], cores: number): string[];
export function runsHeavyProjects(args: readonly string[]): boolean;
