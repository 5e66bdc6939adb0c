import { kilnConfigSchema } from '../../../../contract/config-schema';
import type { DependencyList } from '../../../../runner/detect/plan';
import { snapshotFromFiles } from '../../../../runner/detect/snapshot';
import { AUTO_PACKAGES, autoPackagesFor } from '../../../../runner/dockerfile/auto-packages';
import { generateFromSnapshot } from '../../../../runner/generate';

const deps = (ecosystem: DependencyList['ecosystem'], ...names: string[]): DependencyList => ({
  ecosystem,
  names: names.map((name) => ({ name, source: 'manifest' })),
  gitSource: undefined,
});

describe('autoPackages tables', () => {
  it.each([
    ['ruby', 'pg', ['libpq-dev'], ['libpq5']],
    ['ruby', 'mysql2', ['default-libmysqlclient-dev', 'pkg-config'], ['libmariadb3']],
    ['ruby', 'sqlite3', ['libsqlite3-dev'], ['libsqlite3-0']],
    ['ruby', 'ruby-vips', ['libvips-dev'], ['libvips42']],
    ['ruby', 'rmagick', ['libmagickwand-dev'], ['imagemagick']],
    ['ruby', 'mini_magick', [], ['imagemagick']],
    ['python', 'psycopg2', ['build-essential', 'libpq-dev'], ['libpq5']],
    ['python', 'psycopg', ['libpq-dev'], ['libpq5']],
    [
      'python',
      'mysqlclient',
      ['build-essential', 'default-libmysqlclient-dev', 'pkg-config'],
      ['libmariadb3'],
    ],
    [
      'node',
      'canvas',
      expect.arrayContaining(['libcairo2-dev', 'libpango1.0-dev']),
      expect.arrayContaining(['libcairo2', 'libpango-1.0-0']),
    ],
    ['node', 'pg-native', ['libpq-dev'], ['libpq5']],
    ['node', 'sqlite3', expect.arrayContaining(['libsqlite3-dev']), ['libsqlite3-0']],
  ] as const)('%s %s → build %j, runtime %j', (ecosystem, name, build, runtime) => {
    const { reasons } = autoPackagesFor(deps(ecosystem, name), 'apt');
    expect(reasons).toEqual([{ build, runtime, dependency: name, source: 'manifest' }]);
  });

  const entries = Object.entries(AUTO_PACKAGES).flatMap(([ecosystem, table]) =>
    Object.entries(table).map(
      ([name, entry]) => [ecosystem as DependencyList['ecosystem'], name, entry] as const,
    ),
  );
  it.each(entries)(
    '%s %s maps to its apt packages (and yum names, where listed)',
    (ecosystem, name, entry) => {
      expect(entry.apt.build.length + entry.apt.runtime.length).toBeGreaterThan(0);
      expect(autoPackagesFor(deps(ecosystem, name), 'apt').reasons).toEqual([
        { ...entry.apt, dependency: name, source: 'manifest' },
      ]);
      const yum = autoPackagesFor(deps(ecosystem, name), 'yum');
      if (entry.yum) expect(yum.reasons).toEqual([{ ...entry.yum, dependency: name, source: 'manifest' }]);
      else expect(yum.unmapped).toEqual([name]);
    },
  );

  it('adds git, and the CA certificates it clones over HTTPS with, for git-sourced dependencies', () => {
    const { reasons } = autoPackagesFor({ ecosystem: 'ruby', names: [], gitSource: 'Gemfile.lock' }, 'apt');
    expect(reasons).toEqual([
      {
        build: ['git', 'ca-certificates'],
        runtime: [],
        dependency: 'git-sourced dependencies',
        source: 'Gemfile.lock',
      },
    ]);
  });

  it('uses Amazon Linux names on yum/dnf bases and reports dependencies it cannot map', () => {
    const { reasons, unmapped } = autoPackagesFor(deps('python', 'psycopg2', 'python-ldap'), 'microdnf');
    expect(reasons).toEqual([
      {
        build: ['postgresql-devel'],
        runtime: ['postgresql-libs'],
        dependency: 'psycopg2',
        source: 'manifest',
      },
    ]);
    expect(unmapped).toEqual(['python-ldap']);
  });

  it('ignores dependencies that need nothing', () => {
    expect(autoPackagesFor(deps('node', 'express', 'react'), 'apt').reasons).toEqual([]);
  });

  it('puts build halves in the build stage and runtime halves in the deployment stage; off with autoPackages: false', () => {
    const files = { Gemfile: '', 'Gemfile.lock': 'GEM\n  specs:\n    pg (1.5)\n', 'config.ru': '' };
    const generate = (autoPackages: boolean) =>
      generateFromSnapshot(snapshotFromFiles(files), kilnConfigSchema.parse({ dockerfile: { autoPackages } }))
        .dockerfile;
    const [build, deployment] = generate(true).split('FROM base AS deployment');
    expect(build).toContain('libpq-dev');
    expect(build).not.toContain('libpq5');
    expect(deployment).toContain('libpq5');
    expect(generate(false)).not.toMatch(/libpq/);
  });
});
