// Python: every installer exports a requirements file that pip installs into a virtualenv (or,
// for Lambda, into a target directory copied onto the Lambda base image). Installer tools live
// in their own virtualenv that never reaches the deployment stage.
import type { PythonInstaller, PythonPlan } from '../../detect/plan';
import { officialImage } from '../base-images';
import { copy, env, type Line, run } from '../model';
import type { Recipe } from './recipe';

const VENV = '/opt/venv';
const TOOLS = '/opt/tools';
/** Lambda: dependencies are installed here in the build stage, then copied to LAMBDA_TASK_ROOT. */
const LAMBDA_ASSET = '/asset';
const EXPORTED = '/tmp/requirements.txt';
/** LAMBDA_TASK_ROOT of the Lambda base images. */
const LAMBDA_TASK_ROOT = '/var/task';

/** How each installer produces a pinned requirements file from its lockfile. */
const EXPORT: Record<Exclude<PythonInstaller, 'pip'>, { tools: string; command: string }> = {
  uv: {
    tools: 'uv',
    command: `${TOOLS}/bin/uv export --frozen --no-dev --no-emit-project --no-hashes -o ${EXPORTED}`,
  },
  poetry: {
    tools: 'poetry poetry-plugin-export',
    command: `${TOOLS}/bin/poetry export --only main --without-hashes -o ${EXPORTED}`,
  },
  pipenv: { tools: 'pipenv', command: `${TOOLS}/bin/pipenv requirements > ${EXPORTED}` },
};

function pipInstall(target: string | null, what: string): string {
  return ['pip install --no-cache-dir', target && `--target ${target}`, what].filter(Boolean).join(' ');
}

function installSteps(plan: PythonPlan, target: string | null): string[] {
  if (plan.lockfile === null) return [];
  if (plan.installer === 'pip') return [pipInstall(target, `-r ${plan.lockfile}`)];
  const { tools, command } = EXPORT[plan.installer];
  return [
    `python3 -m venv ${TOOLS}`,
    `${TOOLS}/bin/pip install --no-cache-dir ${tools}`,
    command,
    pipInstall(target, `-r ${EXPORTED}`),
  ];
}

export function pythonRecipe(plan: PythonPlan): Recipe {
  const lambda = plan.framework === 'python-lambda';
  const target = lambda ? LAMBDA_ASSET : null;
  const steps = installSteps(plan, target);
  const compile: Line[] = [];
  // Without a lockfile the project itself (pyproject.toml/setup.py) is the dependency list.
  if (plan.lockfile === null) compile.push(run(pipInstall(target, '.')));
  if (plan.collectStatic)
    compile.push(
      run(
        'SECRET_KEY=collectstatic-only DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput',
      ),
    );
  if (plan.buildCommand) compile.push(run(plan.buildCommand));
  if (lambda) {
    return {
      base: officialImage('lambda-python', plan.version),
      workdir: LAMBDA_TASK_ROOT,
      basePackages: [],
      baseLines: [],
      buildPackages: [],
      install: { files: plan.installFiles, steps: steps.length > 0 ? [run(...steps)] : [] },
      compile,
      deployCopies: [
        copy([LAMBDA_ASSET], LAMBDA_TASK_ROOT, { from: 'build' }),
        copy(
          [plan.lambdaCodeDir ? `${LAMBDA_TASK_ROOT}/${plan.lambdaCodeDir}` : LAMBDA_TASK_ROOT],
          LAMBDA_TASK_ROOT,
          { from: 'build' },
        ),
      ],
      deployUser: false,
    };
  }
  return {
    base: officialImage('python', plan.version),
    workdir: '/app',
    basePackages: [],
    baseLines: [
      env({
        PYTHONDONTWRITEBYTECODE: '1',
        PYTHONUNBUFFERED: '1',
        VIRTUAL_ENV: VENV,
        PATH: `${VENV}/bin:$PATH`,
      }),
    ],
    buildPackages: plan.compiler ? ['build-essential'] : [],
    install: { files: plan.installFiles, steps: [run(`python3 -m venv ${VENV}`, ...steps)] },
    compile,
    deployCopies: [copy([VENV], VENV, { from: 'build' }), copy(['/app'], '/app', { from: 'build' })],
    deployUser: true,
  };
}
