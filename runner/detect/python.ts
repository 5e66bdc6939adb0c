// Python: installer from the lockfile, version from the version files, framework from the
// dependencies (Django, FastAPI, Flask) or a Lambda handler function.
import type { Framework, KilnConfig } from '../../contract/config-schema';
import { readJson, requireStart, resolveBuildCommand, resolvePort, resolveStart } from './common';
import type { DependencyList, PythonInstaller, PythonPlan, StartCommand } from './plan';
import { DEFAULT_SOURCE, type DecisionLog } from './report';
import { type SamFunction, samPythonFunctions } from './sam-template';
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
  const sam = samPythonFunctions(snapshot)[0];
  if (sam) return { framework: 'python-lambda', source: `${sam.file} (${sam.name})` };
  const handler = findLambdaHandler(snapshot);
  if (handler) return { framework: 'python-lambda', source: handler.file };
  if (config.dockerfile.lambda)
    return { framework: 'python-lambda', source: 'kiln.config (dockerfile.lambda)' };
  return { framework: 'python', source: firstExisting(snapshot, PYTHON_MARKERS)! };
}

/** A Python project: one of PYTHON_MARKERS at the root, or a SAM template with a Python function. */
export function isPython(snapshot: ProjectSnapshot): boolean {
  return firstExisting(snapshot, PYTHON_MARKERS) !== undefined || samPythonFunctions(snapshot).length > 0;
}

/** The Python module a source file defines (`app/main.py` → `app.main`). */
function moduleName(file: string): string {
  return file.replace(/\.py$/, '').replace(/\//g, '.');
}

function findLambdaHandler(snapshot: ProjectSnapshot): { file: string; handler: string } | undefined {
  for (const file of HANDLER_MODULES) {
    // Any parameter names (`event`, `_event`, `evt: dict`): Lambda passes them by position.
    const match = /^(?:async\s+)?def\s+(lambda_handler|handler)\s*\(\s*\w+\s*(?::[^,)]*)?,\s*\w+/m.exec(
      snapshot.contents.get(file) ?? '',
    );
    if (match) return { file, handler: `${moduleName(file)}.${match[1]}` };
  }
  return undefined;
}

interface AppObject {
  file: string;
  /** `main:app`, or `main:create_app` when `factory` is set. */
  target: string;
  /** The target is a function that returns the app (uvicorn --factory, gunicorn 'main:create_app()'). */
  factory: boolean;
}

/**
 * The module and variable that hold the app object, for uvicorn/gunicorn: `app = FastAPI(...)`,
 * then `app = get_application()` (an app built by a function, in a module of the app), then an
 * app factory function (`def create_app():`).
 */
function findAppObject(snapshot: ProjectSnapshot, appClass: string): AppObject | undefined {
  const patterns: [RegExp, boolean][] = [
    [new RegExp(`^(\\w+)\\s*=\\s*${appClass}\\(`, 'm'), false],
    [/^(app|application|api)\s*=\s*[\w.]+\(/m, false],
    [/^def\s+(create_app|make_app|get_app|get_application)\s*\(\s*\)/m, true],
  ];
  for (const [pattern, factory] of patterns) {
    for (const file of APP_MODULES) {
      const match = pattern.exec(snapshot.contents.get(file) ?? '');
      if (match) return { file, target: `${moduleName(file)}:${match[1]}`, factory };
    }
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
  sam: SamFunction | undefined,
  log: DecisionLog,
): { start: StartCommand; source: string } {
  const server = (name: string) => deps.has(name);
  if (framework === 'django') {
    const project = djangoProject(snapshot);
    // Django Channels (websockets) needs an ASGI server: daphne, else uvicorn.
    if (project && server('channels') && server('daphne'))
      return {
        start: { shell: `daphne -b 0.0.0.0 -p $PORT ${project.module}.asgi:application` },
        source: 'channels',
      };
    if (project && server('channels') && server('uvicorn'))
      return {
        start: { shell: `uvicorn ${project.module}.asgi:application --host 0.0.0.0 --port $PORT` },
        source: 'channels',
      };
    if (project && server('gunicorn'))
      return { start: { argv: ['gunicorn', `${project.module}.wsgi`] }, source: project.source };
    if (project)
      log.warn('Django without gunicorn: add gunicorn to your dependencies for a production server');
    return { start: { shell: 'python manage.py runserver 0.0.0.0:$PORT' }, source: 'manage.py' };
  }
  if (framework === 'fastapi') {
    const app = findAppObject(snapshot, 'FastAPI');
    if (app)
      return {
        start: {
          shell: `uvicorn ${app.target}${app.factory ? ' --factory' : ''} --host 0.0.0.0 --port $PORT`,
        },
        source: app.file,
      };
  }
  if (framework === 'flask') {
    const app = findAppObject(snapshot, 'Flask');
    const target = app && (app.factory ? `${app.target}()` : app.target);
    if (app && server('gunicorn')) return { start: { argv: ['gunicorn', target!] }, source: app.file };
    if (app)
      return {
        start: { shell: `flask --app '${target}' run --host 0.0.0.0 --port $PORT` },
        source: app.file,
      };
  }
  if (framework === 'python-lambda') {
    if (sam) return { start: { argv: [sam.handler] }, source: `${sam.file} (${sam.name} Handler)` };
    const handler = findLambdaHandler(snapshot);
    if (handler) return { start: { argv: [handler.handler] }, source: handler.file };
    // A Lambda image without a handler would start `python app.py`, which Lambda cannot invoke.
    return { start: { argv: [] }, source: 'nothing' };
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
  const sam = framework === 'python-lambda' ? samPythonFunctions(snapshot, log) : [];
  if (sam.length > 1) {
    log.warn(
      `${sam[0]!.file} defines ${sam.length} Python functions (${sam.map((fn) => fn.name).join(', ')}); ` +
        `kiln builds ${sam[0]!.name}. One image runs one handler: build each function from its own folder.`,
    );
  }
  const fn = sam[0];
  const version = pickVersion(
    log,
    'python version',
    [
      versionFile(snapshot, '.python-version'),
      versionFile(snapshot, 'runtime.txt'),
      requiresPython(snapshot),
      poetryPython(snapshot),
      pipfilePython(snapshot),
      toolVersion(snapshot, ['python']),
      fn?.pythonVersion ? { file: `${fn.file} (Runtime)`, raw: fn.pythonVersion } : undefined,
    ],
    pythonMinor,
    DEFAULT_VERSIONS.python,
  );
  const codeDir =
    fn && fn.codeDir !== '.' ? log.decide('lambda code folder', fn.codeDir, `${fn.file} (CodeUri)`) : null;
  const samRequirements = codeDir && `${codeDir}/requirements.txt`;
  const { installer, lockfile } =
    samRequirements && hasPath(snapshot, samRequirements)
      ? { installer: log.decide('installer', 'pip' as const, samRequirements), lockfile: samRequirements }
      : detectInstaller(snapshot, log);
  const dependencies = pythonDependencies(snapshot);
  const deps = new Set(dependencies.names.map(({ name }) => name));
  let start = requireStart(
    resolveStart(log, config, snapshot, detectStart(snapshot, framework, deps, fn, log)),
    framework === 'python-lambda'
      ? `no Lambda handler found: looked for a SAM template.yaml and for def handler(event, context) or def lambda_handler(event, context) in ${HANDLER_MODULES.join(', ')}`
      : 'cannot tell how to start this Python app (no Django, FastAPI or Flask app, and no app.py, main.py or server.py)',
  );
  // For a Lambda image the start command is the handler (`module.function`), not a shell command.
  if (framework === 'python-lambda' && 'shell' in start) start = { argv: [start.shell.trim()] };
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
  // Pinned packages on an unpinned (newest) Python may have no wheels for it yet: keep a compiler.
  const versionUnpinned =
    log.decisions.find((d) => d.subject === 'python version')?.source === DEFAULT_SOURCE;
  const compiler = versionUnpinned && lockfile !== null && framework !== 'python-lambda';
  if (compiler) {
    log.warn(
      `no Python version pinned: building with ${version}, with a C compiler in the build stage in case a pinned package has no wheel for it. ` +
        'Pin the version you test with in .python-version (or requires-python) for a smaller, faster build.',
    );
  }
  return {
    ecosystem: 'python',
    framework,
    version,
    installer,
    lockfile,
    installFiles:
      lockfile === null
        ? []
        : codeDir !== null && lockfile === samRequirements
          ? [lockfile]
          : INSTALL_FILES[installer].filter((file) => hasPath(snapshot, file)),
    // Lambda handlers take events, not connections: no port.
    port: framework === 'python-lambda' ? 8080 : resolvePort(log, config, 8000, `${framework} convention`),
    start,
    buildCommand: resolveBuildCommand(log, config, null),
    dependencies,
    writableDirs: [],
    assets: null,
    collectStatic,
    lambdaHandler: framework === 'python-lambda' && 'argv' in start ? (start.argv[0] ?? null) : null,
    lambdaCodeDir: codeDir,
    compiler,
  };
}

function pipfilePython(snapshot: ProjectSnapshot): { file: string; raw: string } | undefined {
  const match = /^python_(?:full_)?version\s*=\s*["']([^"']+)["']/m.exec(
    snapshot.contents.get('Pipfile') ?? '',
  );
  return match ? { file: 'Pipfile (python_version)', raw: match[1]! } : undefined;
}

/** `python = "^3.11"` under `[tool.poetry.dependencies]`. */
function poetryPython(snapshot: ProjectSnapshot): { file: string; raw: string } | undefined {
  const section = /^\[tool\.poetry\.dependencies\]\s*\n([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(
    snapshot.contents.get('pyproject.toml') ?? '',
  )?.[1];
  const match = /^python\s*=\s*["']([^"']+)["']/m.exec(section ?? '');
  return match ? { file: 'pyproject.toml (tool.poetry.dependencies.python)', raw: match[1]! } : undefined;
}

function requiresPython(snapshot: ProjectSnapshot): { file: string; raw: string } | undefined {
  const match = /^requires-python\s*=\s*["']([^"']+)["']/m.exec(
    snapshot.contents.get('pyproject.toml') ?? '',
  );
  return match ? { file: 'pyproject.toml (requires-python)', raw: match[1]! } : undefined;
}
