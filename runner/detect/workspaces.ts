// Monorepos: npm/yarn `workspaces` or pnpm-workspace.yaml at the project root. The install runs at
// the root (one lockfile, `workspace:*` links), so every member's package.json is copied before it;
// the app is the member that runs (or the one the config's `workspace` names).
import type { KilnConfig } from '../../contract/config-schema';
import { KilnError } from '../../contract/errors';
import { parseYaml, readJson } from './common';
import type { PackageJson } from './package-json';
import { CONFIG_SOURCE, type DecisionLog } from './report';
import type { ProjectSnapshot } from './snapshot';

export interface WorkspaceApp {
  /** Folder of the app, relative to the root. */
  dir: string;
  pkg: PackageJson;
  /** The project as seen from the app's folder (its own files, paths relative to it). */
  snapshot: ProjectSnapshot;
  source: string;
}

/** The workspace globs of the root package.json (`workspaces`) or of pnpm-workspace.yaml. */
function workspacePatterns(snapshot: ProjectSnapshot, root: PackageJson): string[] {
  const field = root.workspaces;
  if (Array.isArray(field)) return field;
  if (field?.packages) return field.packages;
  const pnpm = snapshot.contents.get('pnpm-workspace.yaml');
  if (pnpm === undefined) return [];
  const parsed = parseYaml(pnpm, { logLevel: 'silent' }) as { packages?: unknown } | null;
  return Array.isArray(parsed?.packages) ? parsed.packages.map(String) : [];
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/^\.\//, '')
    .replace(/\/+$/, '')
    .split('/')
    .map((part) => (part === '**' ? '.+' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]+')))
    .join('/');
  return new RegExp(`^${body}$`);
}

/** Folders of the workspace members that have a package.json (within the snapshot's depth). */
export function workspaceMembers(snapshot: ProjectSnapshot, root: PackageJson): string[] {
  const patterns = workspacePatterns(snapshot, root);
  const include = patterns.filter((p) => !p.startsWith('!')).map(globToRegExp);
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => globToRegExp(p.slice(1)));
  return [...snapshot.paths]
    .filter((path) => path.endsWith('/package.json') && !path.includes('node_modules/'))
    .map((path) => path.slice(0, -'/package.json'.length))
    .filter((dir) => include.some((re) => re.test(dir)) && !exclude.some((re) => re.test(dir)))
    .sort();
}

/** The project as seen from a subfolder. */
export function subSnapshot(snapshot: ProjectSnapshot, dir: string): ProjectSnapshot {
  const prefix = `${dir}/`;
  const strip = (path: string) => path.slice(prefix.length);
  return {
    paths: new Set([...snapshot.paths].filter((path) => path.startsWith(prefix)).map(strip)),
    contents: new Map(
      [...snapshot.contents]
        .filter(([path]) => path.startsWith(prefix))
        .map(([path, text]) => [strip(path), text]),
    ),
    warnings: [],
  };
}

/**
 * The app of a workspace root whose own package.json does not run anything: the `workspace` the
 * config names, else the one member that `isApp` recognises. Undefined when the root is no workspace.
 */
export function workspaceApp(
  snapshot: ProjectSnapshot,
  root: PackageJson,
  config: KilnConfig,
  isApp: (member: ProjectSnapshot, pkg: PackageJson) => boolean,
  log?: DecisionLog,
): WorkspaceApp | undefined {
  const members = workspaceMembers(snapshot, root);
  if (members.length === 0) return undefined;
  const load = (dir: string, source: string): WorkspaceApp => ({
    dir,
    pkg: (readJson(snapshot, `${dir}/package.json`) ?? {}) as PackageJson,
    snapshot: subSnapshot(snapshot, dir),
    source,
  });
  if (config.workspace !== undefined) {
    const dir = config.workspace.replace(/^\.\//, '').replace(/\/+$/, '');
    if (!members.includes(dir)) {
      throw new KilnError(
        `kiln.config "workspace": "${config.workspace}" is not a workspace of this project`,
        `Use one of: ${members.join(', ')}.`,
      );
    }
    log?.decide('workspace', dir, CONFIG_SOURCE('workspace'));
    return load(dir, CONFIG_SOURCE('workspace'));
  }
  const apps = members.map((dir) => load(dir, `${dir}/package.json`)).filter((m) => isApp(m.snapshot, m.pkg));
  if (apps.length > 1) {
    throw new KilnError(
      `this workspace has several apps (${apps.map((app) => app.dir).join(', ')}) and kiln builds one image`,
      `Set "workspace" in kiln.config.json to the folder of the app to build, e.g. "workspace": "${apps[0]!.dir}".`,
    );
  }
  if (apps[0]) log?.decide('workspace', apps[0].dir, 'the only app among the workspaces');
  return apps[0];
}
