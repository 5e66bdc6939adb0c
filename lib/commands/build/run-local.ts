// `kiln build --local`: the same runner on the local docker daemon, no AWS involved. Ctrl-C stops it.
import { EXIT_CODES, KilnError } from '../../../contract/errors';
import { processInterrupts } from '../../follow/interrupts';
import type { Terminal } from '../../output/terminal';
import type { describeProject } from '../../pack/describe-project';
import type { BuildFlags } from './flags';
import type { BuildDocument, BuildResult } from './remote-build';

export async function runLocal(
  dir: string,
  flags: BuildFlags,
  description: Awaited<ReturnType<typeof describeProject>>,
  buildArgs: Record<string, string>,
  secrets: Record<string, string>,
  terminal: Terminal,
): Promise<BuildResult> {
  const { runLocalBuild } =
    require('../../local/run-local-build') as typeof import('../../local/run-local-build');
  const started = Date.now();
  const interrupted = new AbortController();
  const unsubscribe = processInterrupts(() => interrupted.abort());
  try {
    const result = await runLocalBuild({
      projectDir: dir,
      description,
      ...(flags.registry !== undefined ? { registry: flags.registry } : {}),
      push: flags.push,
      buildArgs,
      secrets,
      json: Boolean(flags.json),
      signal: interrupted.signal,
    });
    const document: BuildDocument = {
      buildId: null,
      status: 'SUCCEEDED',
      imageUri: result.imageUri,
      digest: result.digest ?? null,
      tags: result.tags,
      failedPhase: null,
      timings: { pack: null, upload: null, queued: null, build: null, total: (Date.now() - started) / 1000 },
      logsUrl: null,
      consoleUrl: null,
      skipped: false,
      skipReason: null,
    };
    terminal.line(
      terminal.colors.green(`✔ SUCCEEDED ${[result.imageUri, result.digest].filter(Boolean).join(' ')}`),
    );
    return { document, exitCode: EXIT_CODES.success };
  } catch (error) {
    if (interrupted.signal.aborted)
      throw new KilnError('interrupted: local build stopped', undefined, EXIT_CODES.interrupted);
    throw error;
  } finally {
    unsubscribe();
  }
}
