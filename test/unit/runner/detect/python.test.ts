import { decision, detect, detectError } from './helpers';

const flask = {
  'requirements.txt': 'flask==3.0\ngunicorn==23\n',
  'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
};

describe('Python detection', () => {
  it.each([
    [{ 'uv.lock': '', 'poetry.lock': '', 'requirements.txt': '' }, 'uv (from uv.lock)'],
    [{ 'poetry.lock': '', 'Pipfile.lock': '{}', 'requirements.txt': '' }, 'poetry (from poetry.lock)'],
    [{ 'Pipfile.lock': '{}', 'requirements.txt': '' }, 'pipenv (from Pipfile.lock)'],
    [{ 'requirements.txt': '' }, 'pip (from requirements.txt)'],
  ])('picks the installer from the lockfile, uv > poetry > pipenv > pip (%#)', (lockfiles, expected) => {
    expect(decision({ ...lockfiles, 'app.py': '' }, 'installer')).toBe(expected);
  });

  it('warns when there is no lockfile and installs the project itself', () => {
    const result = detect({ 'pyproject.toml': '[project]\nname = "x"\n', 'main.py': '' });
    expect(result.plan).toMatchObject({ installer: 'pip', lockfile: null });
    expect(result.warnings[0]).toMatch(/^no Python lockfile/);
  });

  describe('version', () => {
    it('reads .python-version, then runtime.txt, then requires-python, then .tool-versions', () => {
      const all = {
        ...flask,
        '.python-version': '3.11.9',
        'runtime.txt': 'python-3.10.4',
        'pyproject.toml': 'requires-python = ">=3.9"',
        '.tool-versions': 'python 3.8.1',
      };
      expect(decision(all, 'python version')).toBe('3.11 (from .python-version)');
      const { '.python-version': _a, ...noVersionFile } = all;
      expect(decision(noVersionFile, 'python version')).toBe('3.10 (from runtime.txt)');
      const { 'runtime.txt': _b, ...noRuntime } = noVersionFile;
      expect(decision(noRuntime, 'python version')).toBe('3.13 (from pyproject.toml (requires-python))');
      expect(decision({ ...flask, '.tool-versions': 'python 3.12.1' }, 'python version')).toBe(
        '3.12 (from .tool-versions)',
      );
    });
    it('reads the Pipfile python_version', () => {
      expect(
        decision({ Pipfile: '[requires]\npython_version = "3.12"\n', 'app.py': '' }, 'python version'),
      ).toBe('3.12 (from Pipfile (python_version))');
    });
    it('requires-python with a floor above the default uses the floor', () => {
      expect(decision({ ...flask, 'pyproject.toml': 'requires-python = ">=3.14"' }, 'python version')).toBe(
        '3.14 (from pyproject.toml (requires-python))',
      );
    });
    it('defaults to 3.13', () => {
      expect(decision(flask, 'python version')).toBe('3.13 (from default)');
    });
    it('rejects an invalid version', () => {
      expect(detectError({ ...flask, 'runtime.txt': 'python-three' }).message).toBe(
        'runtime.txt: "python-three" is not a valid Python version',
      );
    });
  });

  describe('frameworks', () => {
    it('Django from manage.py: gunicorn on the project wsgi module, collectstatic with STATIC_ROOT', () => {
      const files = {
        'manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')",
        'site1/settings.py': 'STATIC_ROOT = BASE_DIR / "static"',
        'requirements.txt': 'django\ngunicorn\n',
      };
      expect(detect(files).plan).toMatchObject({
        framework: 'django',
        collectStatic: true,
        start: { argv: ['gunicorn', 'site1.wsgi'] },
      });
    });
    it('Django without STATIC_ROOT skips collectstatic; without gunicorn warns and uses runserver', () => {
      const files = {
        'manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 's.settings')",
        's/settings.py': '',
        'requirements.txt': 'django',
      };
      const result = detect(files);
      expect(result.plan).toMatchObject({
        collectStatic: false,
        start: { shell: 'python manage.py runserver 0.0.0.0:$PORT' },
      });
      expect(result.warnings).toContain(
        'Django without gunicorn: add gunicorn to your dependencies for a production server',
      );
    });
    it('FastAPI runs uvicorn on the module that creates the app', () => {
      const files = { 'requirements.txt': 'fastapi\nuvicorn', 'app/main.py': 'api = FastAPI()\n' };
      expect(detect(files).plan).toMatchObject({
        framework: 'fastapi',
        start: { shell: 'uvicorn app.main:api --host 0.0.0.0 --port $PORT' },
      });
    });
    it('Flask runs gunicorn when it is a dependency', () => {
      expect(detect(flask).plan).toMatchObject({
        framework: 'flask',
        start: { argv: ['gunicorn', 'app:app'] },
      });
    });
    it('a Lambda handler function makes a python-lambda project', () => {
      const files = {
        'requirements.txt': 'boto3',
        'handler.py': 'def handler(event, context):\n    return 1\n',
      };
      expect(detect(files).plan).toMatchObject({
        framework: 'python-lambda',
        lambdaHandler: 'handler.handler',
      });
    });
    it('a plain script runs with python', () => {
      expect(detect({ 'requirements.txt': '', 'main.py': '' }).plan.start).toEqual({
        argv: ['python', 'main.py'],
      });
    });
    it('refuses an app it cannot start, saying how to fix it', () => {
      const error = detectError({ 'requirements.txt': 'requests' });
      expect(error.message).toMatch(/^cannot tell how to start this Python app/);
      expect(error.hint).toBe(
        'Add a Procfile with a "web: <command>" line, or set "startCommand" in kiln.config.json.',
      );
    });
  });
});
