import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPhases } from '../../../../lib/local/run-phases';
import { isRunning } from '../../../helpers/processes';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-phases-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const options = () => ({ cwd: dir, env: { PATH: process.env.PATH, GREETING: 'hi' }, stdoutFd: 2 as const });

describe('runPhases', () => {
  it("runs a phase's commands in one shell, so exports carry over, with the given env and cwd", async () => {
    await runPhases(
      {
        variables: {},
        exportedVariables: [],
        phases: [{ name: 'build', commands: ['export X=1', 'echo "$GREETING $X" > out'] }],
      },
      options(),
    );
    expect(await readFile(join(dir, 'out'), 'utf8')).toBe('hi 1\n');
  });

  it('stops at the first failing command and names the phase', async () => {
    const run = runPhases(
      {
        variables: {},
        exportedVariables: [],
        phases: [{ name: 'build', commands: ['exit 3', 'touch never'] }],
      },
      options(),
    );
    await expect(run).rejects.toThrow('the local build failed in phase "build" (exit code 3)');
  });

  it('kills the whole process group on abort', async () => {
    const controller = new AbortController();
    const run = runPhases(
      {
        variables: {},
        exportedVariables: [],
        phases: [{ name: 'build', commands: ['(sleep 30; touch late) &', 'echo $! > pid', 'wait'] }],
      },
      { ...options(), signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 300);
    await expect(run).rejects.toThrow('the local build was interrupted');
    const pid = Number(await readFile(join(dir, 'pid'), 'utf8'));
    for (let tries = 0; tries < 40 && isRunning(pid); tries++) await new Promise((r) => setTimeout(r, 50));
    expect(isRunning(pid)).toBe(false);
  });

  it('kills what ignores SIGTERM after the grace period, and waits for it before returning', async () => {
    const controller = new AbortController();
    const run = runPhases(
      {
        variables: {},
        exportedVariables: [],
        // The subshell ignores SIGTERM, as a stuck docker CLI might; bash itself does not.
        phases: [
          { name: 'build', commands: ["(trap '' TERM; sleep 30; touch late) &", 'echo $! > pid', 'wait'] },
        ],
      },
      { ...options(), signal: controller.signal, killGraceMs: 300 },
    );
    setTimeout(() => controller.abort(), 300);
    await expect(run).rejects.toThrow('the local build was interrupted');
    // Returned only once the stubborn process was gone: no polling needed here.
    expect(isRunning(Number(await readFile(join(dir, 'pid'), 'utf8')))).toBe(false);
  });

  it('starts nothing when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const run = runPhases(
      { variables: {}, exportedVariables: [], phases: [{ name: 'build', commands: ['touch started'] }] },
      { ...options(), signal: controller.signal },
    );
    await expect(run).rejects.toThrow('the local build was interrupted');
    expect(existsSync(join(dir, 'started'))).toBe(false);
  });
});
