// Python: installer from the lockfile, version from the version files, framework from the
// dependencies (Django, FastAPI, Flask) or a Lambda handler function.
import type { Framework, KilnConfig } from '../../contract/config-schema';
import { readJson, requireStart, resolveBuildCommand, resolvePort, resolveStart } from './common';
import type { DependencyList, PythonInstaller, PythonPlan, StartCommand } from './plan';
import type { DecisionLog } from './report';
import { firstExisting, hasPath, type ProjectSnapshot } from './snapshot';
import { DEFAULT_VERSIONS, pickVersion, pythonMinor, toolVersion, versionFile } from './versions';

export const PYTHON_MARKERS = [
  'requirements.txt',
  'pyproject.toml',
  'Pipfile',
  'Pipfile.lock',
  'poetry.lock',
  'uv.lock',
  'setup.py',
];

/** Lockfiles in precedence order, with the installer each implies. */
const LOCKFILES: [string, PythonInstaller][] = [
  ['uv.lock', 'uv'],
  ['poetry.lock', 'poetry'],
  ['Pipfile.lock', 'pipenv'],
  ['requirements.txt', 'pip'],
];
/** Files the installer reads next to the lockfile. */
const INSTALL_FILES: Record<PythonInstaller, string[]> = {
  uv: ['pyproject.toml', 'uv.lock'],
  poetry: ['pyproject.toml', 'poetry.lock'],
  pipenv: ['Pipfile', 'Pipfile.lock'],
  pip: ['requirements.txt'],
};
const APP_MODULES = [
  'main.py',
  'app.py',
  'app/main.py',
  'src/main.py',
  'api.py',
  'server.py',
  'wsgi.py',
  'asgi.py',
];
const HANDLER_MODULES = ['lambda_function.py', 'handler.py', 'app.py', 'main.py', 'index.py'];

function normalise(name: string): string {
  return name.toLowerCase().replace(/[_.]+/g, '-');
}

/** Dependency names from every Python manifest and lockfile present, with the file that lists each. */
export function pythonDependencies(snapshot: ProjectSnapshot): DependencyList {
  const names: { name: string; source: string }[] = [];
  const add = (name: string, source: string) => names.push({ name: normalise(name), source });
  let gitSource: string | undefined;
  const requirements = snapshot.contents.get('requirements.txt') ?? '';
  for (const line of requirements.split('\n')) {
    const text = line.replace(/\s#.*/, '').trim();
    if (/git\+/.test(text)) gitSource ??= 'requirements.txt';
    const match = /^([A-Za-z0-9][\w.-]*)/.exec(text);
    if (match && !text.startsWith('-')) add(match[1]!, 'requirements.txt');
    const egg = /#egg=([\w.-]+)/.exec(line);
    if (egg) add(egg[1]!, 'requirements.txt');
  }
  for (const file of ['pyproject.toml', 'Pipfile']) {
    const text = snapshot.contents.get(file) ?? '';
    if (/git\+|\bgit\s*=/.test(text)) gitSource ??= file;
    for (const match of text.matchAll(/^\s*"([A-Za-z0-9][\w.-]*)\s*(?:\[[^\]]*\])?\s*[<>=!~;"]/gm))
      add(match[1]!, file);
    for (const match of text.matchAll(/^([A-Za-z0-9][\w.-]*)\s*=\s*["{]/gm)) add(match[1]!, file);
  }
  for (const file of ['poetry.lock', 'uv.lock']) {
    for (const match of (snapshot.contents.get(file) ?? '').matchAll(/^name\s*=\s*"([^"]+)"/gm))
      add(match[1]!, file);
  }
  const pipfileLock = readJson(snapshot, 'Pipfile.lock') as
    | { default?: Record<string, { git?: string }> }
    | undefined;
  if (pipfileLock) {
    for (const [name, entry] of Object.entries(pipfileLock.default ?? {})) {
      add(name, 'Pipfile.lock');
      if (entry.git) gitSource ??= 'Pipfile.lock';
    }
  }
  return { ecosystem: 'python', names, gitSource };
}

export function pythonFramework(
  snapshot: ProjectSnapshot,
  config: KilnConfig,
): { framework: Framework; source: string } {
  const deps = new Map(pythonDependencies(snapshot).names.map(({ name, source }) => [name, source]));
  if (hasPath(snapshot, 'manage.py')) return { framework: 'django', source: 'manage.py' };
  if (deps.has('django')) return { framework: 'django', source: deps.get('django')! };
  if (deps.has('fastapi')) return { framework: 'fastapi', source: deps.get('fastapi')! };
  if (deps.has('flask')) return { framework: 'flask', source: deps.get('flask')! };
  const handler = findLambdaHandler(snapshot);
  if (handler) return { framework: 'python-lambda', source: handler.file };
  if (config.dockerfile.lambda)
    return { framework: 'python-lambda', source: 'kiln.config (dockerfile.lambda)' };
  return { framework: 'python', source: firstExisting(snapshot, PYTHON_MARKERS)! };
}

/** The Python module a source file defines (`app/main.py` → `app.main`). */
function moduleName(file: string): string {
  return file.replace(/\.py$/, '').replace(/\//g, '.');
}

function findLambdaHandler(snapshot: ProjectSnapshot): { file: string; handler: string } | undefined {
  for (const file of HANDLER_MODULES) {
    const match = /^def\s+(lambda_handler|handler)\s*\(\s*event\s*,\s*context\s*\)/m.exec(
      snapshot.contents.get(file) ?? '',
    );
    if (match) return { file, handler: `${moduleName(file)}.${match[1]}` };
  }
  return undefined;
}

/** The module and variable that create the app object (`main:app`), for uvicorn/gunicorn. */
function findAppObject(
  snapshot: ProjectSnapshot,
  factory: string,
): { file: string; target: string } | undefined {
  for (const file of APP_MODULES) {
    const match = new RegExp(`^(\\w+)\\s*=\\s*${factory}\\(`, 'm').exec(snapshot.contents.get(file) ?? '');
    if (match) return { file, target: `${moduleName(file)}:${match[1]}` };
  }
  return undefined;
}

function djangoProject(snapshot: ProjectSnapshot): { module: string; source: string } | undefined {
  const match = /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)\.settings['"]/.exec(
    snapshot.contents.get('manage.py') ?? '',
  );
  return match ? { module: match[1]!, source: 'manage.py' } : undefined;
}

function detectInstaller(
  snapshot: ProjectSnapshot,
  log: DecisionLog,
): { installer: PythonInstaller; lockfile: string | null } {
  const found = LOCKFILES.find(([file]) => hasPath(snapshot, file));
  if (found) return { installer: log.decide('installer', found[1], found[0]), lockfile: found[0] };
  const poetry = /^\[tool\.poetry\]/m.test(snapshot.contents.get('pyproject.toml') ?? '');
  const installer = log.decide(
    'installer',
    poetry ? 'poetry' : 'pip',
    poetry ? 'pyproject.toml ([tool.poetry])' : 'default',
  );
  log.warn(
    `no Python lockfile (${LOCKFILES.map(([file]) => file).join(', ')}): installing the project without pinned versions`,
  );
  return { installer, lockfile: null };
}

function detectStart(
  snapshot: ProjectSnapshot,
  framework: Framework,
  deps: Set<string>,
  log: DecisionLog,
): { start: StartCommand; source: string } {
  const server = (name: string) => deps.has(name);
  if (framework === 'django') {
    const project = djangoProject(snapshot);
    if (project && server('gunicorn'))
      return { start: { argv: ['gunicorn', `${project.module}.wsgi`] }, source: project.source };
    if (project)
      log.warn('Django without gunicorn: add gunicorn to your dependencies for a production server');
    return { start: { shell: 'python manage.py runserver 0.0.0.0:$PORT' }, source: 'manage.py' };
  }
  if (framework === 'fastapi') {
    const app = findAppObject(snapshot, 'FastAPI');
    if (app)
      return { start: { shell: `uvicorn ${app.target} --host 0.0.0.0 --port $PORT` }, source: app.file };
  }
  if (framework === 'flask') {
    const app = findAppObject(snapshot, 'Flask');
    if (app && server('gunicorn')) return { start: { argv: ['gunicorn', app.target] }, source: app.file };
    if (app)
      return {
        start: { shell: `flask --app ${app.target} run --host 0.0.0.0 --port $PORT` },
        source: app.file,
      };
  }
  if (framework === 'python-lambda') {
    const handler = findLambdaHandler(snapshot);
    if (handler) return { start: { argv: [handler.handler] }, source: handler.file };
  }
  const script = firstExisting(snapshot, ['app.py', 'main.py', 'server.py']);
  if (script) return { start: { argv: ['python', script] }, source: script };
  return { start: { argv: [] }, source: 'nothing' };
}

export function detectPython(
  snapshot: ProjectSnapshot,
  config: KilnConfig,
  log: DecisionLog,
  framework: Framework,
): PythonPlan {
  const version = pickVersion(
    log,
    'python version',
    [
      versionFile(snapshot, '.python-version'),
      versionFile(snapshot, 'runtime.txt'),
      requiresPython(snapshot),
      pipfilePython(snapshot),
      toolVersion(snapshot, ['python']),
    ],
    pythonMinor,
    DEFAULT_VERSIONS.python,
  );
  const { installer, lockfile } = detectInstaller(snapshot, log);
  const dependencies = pythonDependencies(snapshot);
  const deps = new Set(dependencies.names.map(({ name }) => name));
  const start = requireStart(
    resolveStart(log, config, snapshot, detectStart(snapshot, framework, deps, log)),
    'cannot tell how to start this Python app (no Django, FastAPI or Flask app, and no app.py, main.py or server.py)',
  );
  const project = djangoProject(snapshot);
  const settings = project && snapshot.contents.get(`${project.module.replace(/\./g, '/')}/settings.py`);
  const collectStatic = framework === 'django' && settings !== undefined && /STATIC_ROOT/.test(settings);
  if (framework === 'django') {
    log.decide(
      'collectstatic',
      collectStatic ? 'yes' : 'no (no STATIC_ROOT)',
      project ? `${project.module}/settings.py` : 'manage.py',
    );
  }
  return {
    ecosystem: 'python',
    framework,
    version,
    installer,
    lockfile,
    installFiles: lockfile === null ? [] : INSTALL_FILES[installer].filter((file) => hasPath(snapshot, file)),
    // Lambda handlers take events, not connections: no port.
    port: framework === 'python-lambda' ? 8080 : resolvePort(log, config, 8000, `${framework} convention`),
    start,
    buildCommand: resolveBuildCommand(log, config, null),
    dependencies,
    writableDirs: [],
    assets: null,
    collectStatic,
    lambdaHandler: framework === 'python-lambda' && 'argv' in start ? (start.argv[0] ?? null) : null,
  };
}

function pipfilePython(snapshot: ProjectSnapshot): { file: string; raw: string } | undefined {
  const match = /^python_(?:full_)?version\s*=\s*["']([^"']+)["']/m.exec(
    snapshot.contents.get('Pipfile') ?? '',
  );
  return match ? { file: 'Pipfile (python_version)', raw: match[1]! } : undefined;
}

function requiresPython(snapshot: ProjectSnapshot): { file: string; raw: string } | undefined {
  const match = /^requires-python\s*=\s*["']([^"']+)["']/m.exec(
    snapshot.contents.get('pyproject.toml') ?? '',
  );
  return match ? { file: 'pyproject.toml (requires-python)', raw: match[1]! } : undefined;
}
