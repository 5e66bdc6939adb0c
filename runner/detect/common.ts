// Rules shared by every ecosystem: JSON manifests, the Procfile, and the config overrides
// (start command, port, build command) that win over detection.
import type { KilnConfig } from '../../contract/config-schema';
import { KilnError } from '../../contract/errors';
import type { StartCommand } from './plan';
import { CONFIG_SOURCE, type DecisionLog } from './report';
import type { ProjectSnapshot } from './snapshot';

export function readJson(snapshot: ProjectSnapshot, file: string): Record<string, unknown> | undefined {
  const text = snapshot.contents.get(file);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch (error) {
    throw new KilnError(
      `${file} is not valid JSON: ${(error as Error).message}`,
      `Fix ${file} and run again.`,
    );
  }
  throw new KilnError(`${file} must contain a JSON object`, `Fix ${file} and run again.`);
}

/** The `web:` process of a Procfile, which wins over the detected start command. */
export function procfileWeb(snapshot: ProjectSnapshot): string | undefined {
  const text = snapshot.contents.get('Procfile');
  if (text === undefined) return undefined;
  for (const line of text.split('\n')) {
    const match = /^web:\s*(.+)$/.exec(line.trim());
    if (match) return match[1]!.trim();
  }
  return undefined;
}

/** Start command: config `startCommand`, then the Procfile `web:` line, then the detected one. */
export function resolveStart(
  log: DecisionLog,
  config: KilnConfig,
  snapshot: ProjectSnapshot,
  detected: { start: StartCommand; source: string },
): StartCommand {
  const procfile = procfileWeb(snapshot);
  const chosen: { start: StartCommand; source: string } =
    config.startCommand !== undefined
      ? { start: { shell: config.startCommand }, source: CONFIG_SOURCE('startCommand') }
      : procfile !== undefined
        ? { start: { shell: procfile }, source: 'Procfile' }
        : detected;
  log.decide(
    'start command',
    'argv' in chosen.start ? chosen.start.argv.join(' ') : chosen.start.shell,
    chosen.source,
  );
  return chosen.start;
}

/** Detection's "no start command" (`argv: []`), when neither config nor a Procfile gave one, is an error. */
export function requireStart(start: StartCommand, problem: string): StartCommand {
  if ('argv' in start && start.argv.length === 0) {
    throw new KilnError(
      problem,
      'Add a Procfile with a "web: <command>" line, or set "startCommand" in kiln.config.json.',
    );
  }
  return start;
}

export function resolvePort(log: DecisionLog, config: KilnConfig, port: number, source: string): number {
  if (config.port !== undefined) return log.decide('port', config.port, CONFIG_SOURCE('port'));
  return log.decide('port', port, source);
}

export function resolveBuildCommand(
  log: DecisionLog,
  config: KilnConfig,
  detected: { command: string; source: string } | null,
): string | null {
  if (config.buildCommand !== undefined) {
    return log.decide('build command', config.buildCommand, CONFIG_SOURCE('buildCommand'));
  }
  if (detected === null) return null;
  return log.decide('build command', detected.command, detected.source);
}
