// Rules shared by every ecosystem: JSON manifests, the Procfile, and the config overrides
// (start command, port, build command) that win over detection.
import type { DocumentOptions, ParseOptions, ToJSOptions } from 'yaml';
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

/** The processes of a Procfile (`name: command`), in order. */
function procfileProcesses(snapshot: ProjectSnapshot): { name: string; command: string }[] {
  const text = snapshot.contents.get('Procfile') ?? '';
  return text
    .split('\n')
    .map((line) => /^([\w-]+):\s*(.+)$/.exec(line.trim()))
    .filter((match) => match !== null)
    .map((match) => ({ name: match[1]!, command: match[2]!.trim() }));
}

/** The `web:` process of a Procfile, which wins over the detected start command. */
/**
 * YAML (pnpm-workspace.yaml, SAM templates), with the yaml package loaded only for projects that have
 * such a file: most projects never need it, and `kiln dockerfile` and `kiln build` would pay its
 * load time on every run (docs/benchmarks.md, startup).
 */
export function parseYaml(text: string, options: ParseOptions & DocumentOptions & ToJSOptions): unknown {
  const yaml: typeof import('yaml') = require('yaml');
  return yaml.parse(text, options);
}

export function procfileWeb(snapshot: ProjectSnapshot): string | undefined {
  return procfileProcesses(snapshot).find((process) => process.name === 'web')?.command;
}

/** An image runs one process: the Procfile's others need a hint, not silence. */
function warnOtherProcesses(log: DecisionLog, snapshot: ProjectSnapshot): void {
  for (const { name, command } of procfileProcesses(snapshot)) {
    if (name === 'web') continue;
    log.warn(
      name === 'release'
        ? `Procfile release: "${command}" is not run by the image; run it once per deploy before the new version starts ` +
            `(for example as a one-off container of this image with that command)`
        : `Procfile ${name}: "${command}" is not started by the image, which runs one process; run it as its own ` +
            `container of this image with that command (or set "startCommand" to make it this image's command)`,
    );
  }
}

/** Start command: config `startCommand`, then the Procfile `web:` line, then the detected one. */
export function resolveStart(
  log: DecisionLog,
  config: KilnConfig,
  snapshot: ProjectSnapshot,
  detected: { start: StartCommand; source: string },
): StartCommand {
  const procfile = procfileWeb(snapshot);
  warnOtherProcesses(log, snapshot);
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
