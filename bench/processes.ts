// The benches' child processes (servers, load generators): started with a bounded wait for
// "listening on <url>", stopped with SIGTERM then SIGKILL, and all killed if the bench ends early.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

const root = join(import.meta.dirname, "..");

/** Every child still running; killed when the bench exits or is interrupted. */
export const children = new Set<ChildProcess>();

export function killChildren() {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
}

process.once("exit", killChildren);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killChildren();
    process.exit(130);
  });
}

/** A profiled app writes its profile on the way out, after its shutdown; that can take a while. */
const stopTimeoutMs = () =>
  appNodeArgs().some((a) => a.startsWith("--cpu-prof") || a.startsWith("--heap-prof")) ? 180_000 : 15_000;

export function stopChild(child: ChildProcess, timeoutMs = stopTimeoutMs()): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export interface Server {
  url: string;
  child: ChildProcess;
  /** Lines the server wrote to stderr (errors, warnings). */
  errors: string[];
}

/** The app's job and pool settings, when given to the bench, pass through to the app (README's configuration). */
export function appTuning(): Record<string, string> {
  const names = ["JOB_THREAD", "JOB_THREAD_BUSY_SHARE", "INTAKE_POOL_SIZE", "DATABASE_POOL_SIZE", "READER_POOL_SIZE"];
  return Object.fromEntries(names.filter((n) => process.env[n] !== undefined).map((n) => [n, process.env[n]!]));
}

/** Node options for the app, e.g. BENCH_APP_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" to profile it under load. */
export const appNodeArgs = () => process.env.BENCH_APP_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];

/** Starts `node <script>` and waits (bounded) for it to print "listening on <url>". */
export function startServer(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  logFile: string,
  nodeArgs: string[] = [],
): Promise<Server> {
  const child = spawn(process.execPath, [...nodeArgs, script], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  child.once("exit", () => children.delete(child));
  const log = createWriteStream(logFile, { flags: "a" });
  const errors: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (line) => {
    log.write(`[stderr] ${line}\n`);
    if (errors.length < 1000) errors.push(line);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not start within 60 s; see ${logFile}`));
    }, 60_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before listening:\n${errors.slice(-20).join("\n")}`));
    });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      log.write(`${line}\n`);
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], child, errors });
      }
    });
  });
}

/** CPU time and run-queue wait (ns) of a process's main thread and of all its threads together. */
export interface ThreadClock {
  mainCpuNs: number;
  mainWaitNs: number;
  allCpuNs: number;
}

/**
 * Reads Linux's per-thread scheduler statistics (/proc/<pid>/task/<tid>/schedstat: ns on the CPU,
 * ns runnable but waiting for one). Taken before and after a load step, it says what each
 * delivery cost the server's event loop, apart from how long the machine made it wait; null where
 * /proc is not there.
 */
export function threadClock(pid: number | undefined): ThreadClock | null {
  if (!pid) return null;
  try {
    const clock: ThreadClock = { mainCpuNs: 0, mainWaitNs: 0, allCpuNs: 0 };
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8");
      } catch {
        continue; // the thread ended meanwhile
      }
      const [cpu, wait] = stat.trim().split(/\s+/).map(Number);
      clock.allCpuNs += cpu;
      if (Number(tid) === pid) {
        clock.mainCpuNs = cpu;
        clock.mainWaitNs = wait;
      }
    }
    return clock;
  } catch {
    return null;
  }
}
