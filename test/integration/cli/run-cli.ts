// Runs the built CLI (`node bin/kiln.js`, from dist/) as a real process with a clean environment:
// no inherited AWS settings, a throwaway HOME, no colours.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
/**
 * The kiln under test: this checkout, or another built one (KILN_CLI_UNDER_TEST, used by
 * scripts/hostile/replay.sh to show which cases fail on an older kiln).
 */
const CLI_ROOT = process.env.KILN_CLI_UNDER_TEST ?? REPO_ROOT;
const BIN = join(CLI_ROOT, 'bin', 'kiln.js');

export interface CliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stderr contains `text`. */
  waitForStderr(text: string | RegExp, timeoutMs?: number): Promise<void>;
  exit: Promise<number | null>;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv, cwd = REPO_ROOT): CliRun {
  if (!existsSync(join(CLI_ROOT, 'dist', 'lib', 'cli.js'))) throw new Error('run `npm run build` first');
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const check of waiters) check();
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exit,
    waitForStderr: (text, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        const matches = () => (typeof text === 'string' ? stderr.includes(text) : text.test(stderr));
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${text}; stderr:\n${stderr}`)),
          timeoutMs,
        );
        const check = () => {
          if (matches()) {
            clearTimeout(timer);
            resolve();
          }
        };
        waiters.push(check);
        check();
        void exit.then(() => {
          if (!matches()) {
            clearTimeout(timer);
            reject(new Error(`exited before ${text}; stderr:\n${stderr}`));
          }
        });
      }),
  };
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv, cwd?: string) {
  const run = startCli(args, env, cwd);
  const code = await run.exit;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}
