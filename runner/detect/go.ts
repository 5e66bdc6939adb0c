// Go: version from go.mod (toolchain line first), static build of the main package.
import type { KilnConfig } from '../../contract/config-schema';
import { resolveBuildCommand, resolvePort, resolveStart } from './common';
import { type GoPlan, NO_DEPENDENCIES, type StartCommand } from './plan';
import type { DecisionLog } from './report';
import { hasPath, type ProjectSnapshot } from './snapshot';
import { goMinor } from './versions';

/** Where the compiled binary lives in the deployment image. */
export const GO_BINARY = '/app/server';

export function detectGo(snapshot: ProjectSnapshot, config: KilnConfig, log: DecisionLog): GoPlan {
  const goMod = snapshot.contents.get('go.mod') ?? '';
  const toolchain = /^toolchain\s+(\S+)/m.exec(goMod);
  const goLine = /^go\s+(\S+)/m.exec(goMod);
  const raw = toolchain?.[1] ?? goLine?.[1];
  const version = raw
    ? log.decide(
        'go version',
        goMinor({ file: 'go.mod', raw }),
        toolchain ? 'go.mod (toolchain)' : 'go.mod (go)',
      )
    : log.decide('go version', '1.23', 'default (go.mod has no go line)');
  const commands = [...snapshot.paths]
    .filter((path) => /^cmd\/[\w.-]+\/main\.go$/.test(path))
    .map((path) => `./${path.slice(0, -'/main.go'.length)}`)
    .sort();
  const mainPackage = hasPath(snapshot, 'main.go') || commands.length === 0 ? '.' : commands[0]!;
  log.decide(
    'main package',
    mainPackage,
    mainPackage === '.' ? 'main.go' : `${mainPackage.slice(2)}/main.go`,
  );
  if (commands.length > 1 && mainPackage !== '.') {
    log.warn(
      `several commands under cmd/ (${commands.join(', ')}); building ${mainPackage}. Set "buildCommand" to choose.`,
    );
  }
  return {
    ecosystem: 'go',
    framework: 'go',
    version,
    hasGoSum: hasPath(snapshot, 'go.sum'),
    mainPackage,
    runtimeDirs: runtimeDirs(snapshot, log),
    port: resolvePort(log, config, 8080, 'Go convention'),
    start: builtBinary(
      snapshot,
      resolveStart(log, config, snapshot, { start: { argv: [GO_BINARY] }, source: 'go build' }),
      log,
    ),
    buildCommand: resolveBuildCommand(log, config, {
      command: `CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o ${GO_BINARY} ${mainPackage}`,
      source: 'go.mod',
    }),
    dependencies: NO_DEPENDENCIES,
    writableDirs: [],
    assets: null,
  };
}

/**
 * A Procfile names the binary the way Heroku's Go buildpack installs it (`web: <module name>` or
 * `bin/<module name>`, on PATH); kiln's build writes it to GO_BINARY instead.
 */
function builtBinary(snapshot: ProjectSnapshot, start: StartCommand, log: DecisionLog): StartCommand {
  const module = /^module\s+(\S+)/m.exec(snapshot.contents.get('go.mod') ?? '')?.[1];
  const name = module?.slice(module.lastIndexOf('/') + 1);
  if (!name || !('shell' in start)) return start;
  const [first, ...rest] = start.shell.trim().split(/\s+/);
  if (first !== name && first !== `bin/${name}` && first !== `./bin/${name}`) return start;
  const argv = [GO_BINARY, ...rest];
  log.decide(
    'start command',
    argv.join(' '),
    `Procfile (${first} is the binary go build writes to ${GO_BINARY})`,
  );
  return { argv };
}

/** Conventional folders of files a Go web app opens at run time. */
const RUNTIME_DIRS = ['templates', 'static', 'public', 'assets', 'views', 'web'];

/**
 * Folders the binary may read from its working directory: a conventional name, unless the Go
 * source embeds them (`//go:embed templates/*` puts them in the binary).
 */
function runtimeDirs(snapshot: ProjectSnapshot, log: DecisionLog): string[] {
  const source = [...snapshot.contents]
    .filter(([path]) => path.endsWith('.go'))
    .map(([, text]) => text)
    .join('\n');
  const dirs = RUNTIME_DIRS.filter(
    (dir) => hasPath(snapshot, `${dir}/`) && !new RegExp(`//go:embed[^\\n]*\\b${dir}\\b`).test(source),
  );
  if (dirs.length > 0) log.decide('run-time folders', dirs.join(' '), 'copied next to the binary');
  return dirs;
}
