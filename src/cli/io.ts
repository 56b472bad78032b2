/** What a CLI command may touch besides the file system: injected so `main` is unit-testable. */
import type { Env } from '../report/color';

export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Env;
  /** Whether stdout is a terminal (decides colour with NO_COLOR / FORCE_COLOR). Default false. */
  readonly stdoutIsTTY?: boolean;
  /** Whether stderr is a terminal (a live progress line instead of periodic ones). Default false. */
  readonly stderrIsTTY?: boolean;
  /** Directory relative --factories (and --contracts) paths resolve against; default process.cwd(). */
  readonly cwd?: string;
  /**
   * Imports the --factories module (default: a real `import()` of the file). Tests pass a stand-in
   * to run `herald verify` in-process on module namespaces they build.
   */
  readonly importModule?: (specifier: string, cwd: string, role: 'factories' | 'triggers') => Promise<unknown>;
}
