/** What a CLI command may touch besides the file system: injected so `main` is unit-testable. */
import type { Env } from '../report/color';

export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Env;
  /** Whether stdout is a terminal (decides colour with NO_COLOR / FORCE_COLOR). Default false. */
  readonly stdoutIsTTY?: boolean;
  /** Directory relative --factories (and --contracts) paths resolve against; default process.cwd(). */
  readonly cwd?: string;
}
