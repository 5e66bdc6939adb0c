import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { KILN_VARIABLES } from '../../../contract/environment';

const ROOT = join(__dirname, '..', '..', '..');
const SOURCES = ['contract', 'lib', 'runner', 'cdk', 'scripts', 'test/e2e', 'test/unit', 'buildspec.yml'];
/** A TypeScript constant (the package version), not an environment variable. */
const NOT_VARIABLES = new Set(['KILN_VERSION']);

function filesUnder(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).flatMap((name) =>
    name === 'fixtures' || name === 'node_modules' ? [] : filesUnder(join(path, name)),
  );
}

test('every KILN_* variable the code uses is in the contract’s table, and every entry is used', () => {
  const used = new Map<string, string>();
  for (const file of SOURCES.flatMap((source) => filesUnder(join(ROOT, source)))) {
    if (file.endsWith('environment.ts') || file.endsWith('environment.test.ts')) continue;
    for (const [name] of readFileSync(file, 'utf8').matchAll(/\bKILN_[A-Z0-9]+(?:_[A-Z0-9]+)*\b/g)) {
      if (!NOT_VARIABLES.has(name)) used.set(name, relative(ROOT, file));
    }
  }
  const missing = [...used].filter(([name]) => !Object.hasOwn(KILN_VARIABLES, name));
  expect(missing).toEqual([]);
  expect(Object.keys(KILN_VARIABLES).filter((name) => !used.has(name))).toEqual([]);
});
