// Go: version from go.mod (toolchain line first), static build of the main package.
import type { KilnConfig } from '../../contract/config-schema';
import { resolveBuildCommand, resolvePort, resolveStart } from './common';
import { type GoPlan, NO_DEPENDENCIES } from './plan';
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
    port: resolvePort(log, config, 8080, 'Go convention'),
    start: resolveStart(log, config, snapshot, { start: { argv: [GO_BINARY] }, source: 'go build' }),
    buildCommand: resolveBuildCommand(log, config, {
      command: `CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o ${GO_BINARY} ${mainPackage}`,
      source: 'go.mod',
    }),
    dependencies: NO_DEPENDENCIES,
    writableDirs: [],
    assets: null,
  };
}
