/** Running a real client binary against the local cluster: one command, its output, a time limit. */
import { spawn } from "node:child_process";

/** What a command printed and how it ended. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCommand}. */
export interface RunOptions {
  stdin?: string | Buffer;
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /** Killed (SIGKILL) after this long; default 30 s. */
  timeoutMs?: number;
  /** Resolve as soon as stdout matches, then kill the process (for `-w`, `-f`, port-forward). */
  until?: RegExp;
  /** Called with stdout so far once `until` matched; the process is killed when it settles. */
  whileRunning?: (stdout: string) => Promise<void>;
}

/** Runs `command args` (no shell) and collects its output; never rejects. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env } as NodeJS.ProcessEnv,
      stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let done = false;
    const finish = (code: number | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    };
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${options.timeoutMs ?? 30_000} ms)`;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 30_000);
    let matched = false;
    child.stdout?.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
      if (options.until && !matched && options.until.test(stdout)) {
        matched = true;
        void (options.whileRunning ?? (async () => {}))(stdout)
          .catch((err: unknown) => {
            stderr += `\n${err instanceof Error ? err.message : String(err)}`;
          })
          .finally(() => {
            child.kill("SIGTERM");
          });
      }
    });
    child.stderr?.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    child.on("error", (err) => {
      stderr += err.message;
      finish(127);
    });
    child.on("close", (code) => finish(matched ? 0 : code));
    if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  });
}

/** A named check of one client operation; it throws when the operation did not do its job. */
export interface Operation<C> {
  name: string;
  run(ctx: C): Promise<void>;
}

/** What a list of operations gave. */
export interface OperationReport {
  passed: string[];
  failed: Array<{ name: string; error: string }>;
}

/** Runs operations in order (later ones build on earlier ones); a failure is recorded and the next one runs. */
export async function runOperations<C>(
  operations: readonly Operation<C>[],
  ctx: C,
): Promise<OperationReport> {
  const report: OperationReport = { passed: [], failed: [] };
  for (const op of operations) {
    try {
      await op.run(ctx);
      report.passed.push(op.name);
    } catch (err) {
      report.failed.push({
        name: op.name,
        error: (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "",
      });
    }
  }
  return report;
}

/** One line for the test log: `<client>: 52/54 operations passed; failed: a, b`. */
export function reportLine(client: string, report: OperationReport): string {
  const total = report.passed.length + report.failed.length;
  const failed =
    report.failed.length > 0
      ? `; failed: ${report.failed.map((f) => `${f.name} (${f.error})`).join("; ")}`
      : "";
  return `${client}: ${report.passed.length}/${total} operations passed${failed}`;
}
