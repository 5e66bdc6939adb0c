// autoPackages: dependencies that need system libraries, one table per ecosystem. Each entry has a
// build half (headers and toolchain, build stage only) and a runtime half (shared libraries, the
// deployment stage). Amazon Linux names are listed where Lambda images can use the dependency.
import type { DependencyEcosystem, DependencyList } from '../detect/plan';
import type { PackageReason, SystemPackages } from '../detect/report';
import type { PackageManager } from './base-images';

interface AutoPackage {
  apt: SystemPackages;
  /** yum/dnf names (Amazon Linux); absent when the dependency is not expected there. */
  yum?: SystemPackages;
}

const LIBPQ: AutoPackage = {
  apt: { build: ['libpq-dev'], runtime: ['libpq5'] },
  yum: { build: ['postgresql-devel'], runtime: ['postgresql-libs'] },
};
const MYSQL: AutoPackage = {
  apt: { build: ['default-libmysqlclient-dev', 'pkg-config'], runtime: ['libmariadb3'] },
  yum: { build: ['mariadb-connector-c-devel', 'pkgconf'], runtime: ['mariadb-connector-c'] },
};
const SQLITE: AutoPackage = {
  apt: { build: ['libsqlite3-dev'], runtime: ['libsqlite3-0'] },
  yum: { build: ['sqlite-devel'], runtime: ['sqlite-libs'] },
};
const CANVAS: AutoPackage = {
  apt: {
    build: [
      'build-essential',
      'libcairo2-dev',
      'libpango1.0-dev',
      'libjpeg-dev',
      'libgif-dev',
      'librsvg2-dev',
    ],
    runtime: [
      'libcairo2',
      'libpango-1.0-0',
      'libpangocairo-1.0-0',
      'libjpeg62-turbo',
      'libgif7',
      'librsvg2-2',
    ],
  },
};
const NODE_GYP: AutoPackage = { apt: { build: ['build-essential', 'python3'], runtime: [] } };

export const AUTO_PACKAGES: Record<DependencyEcosystem, Record<string, AutoPackage>> = {
  node: {
    'pg-native': LIBPQ,
    sqlite3: { apt: { build: [...NODE_GYP.apt.build, 'libsqlite3-dev'], runtime: ['libsqlite3-0'] } },
    canvas: CANVAS,
    bcrypt: NODE_GYP,
    'better-sqlite3': NODE_GYP,
  },
  python: {
    psycopg2: { ...LIBPQ, apt: { build: ['build-essential', 'libpq-dev'], runtime: ['libpq5'] } },
    psycopg: LIBPQ,
    'psycopg-c': { ...LIBPQ, apt: { build: ['build-essential', 'libpq-dev'], runtime: ['libpq5'] } },
    mysqlclient: {
      ...MYSQL,
      apt: { build: ['build-essential', ...MYSQL.apt.build], runtime: MYSQL.apt.runtime },
    },
    pysqlite3: SQLITE,
    'python-ldap': {
      apt: { build: ['build-essential', 'libldap2-dev', 'libsasl2-dev'], runtime: ['libldap-2.5-0'] },
    },
    pyvips: { apt: { build: [], runtime: ['libvips42'] } },
  },
  ruby: {
    pg: LIBPQ,
    mysql2: MYSQL,
    sqlite3: SQLITE,
    'ruby-vips': { apt: { build: ['libvips-dev'], runtime: ['libvips42'] } },
    rmagick: { apt: { build: ['libmagickwand-dev'], runtime: ['imagemagick'] } },
    mini_magick: { apt: { build: [], runtime: ['imagemagick'] } },
  },
};

/** git clones over HTTPS, and slim images (node's) carry no CA certificates. */
const GIT: SystemPackages = { build: ['git', 'ca-certificates'], runtime: [] };

/** Lists the system packages each dependency needs, skipping dependencies that need none. */
export function autoPackagesFor(
  { ecosystem, names, gitSource }: DependencyList,
  packageManager: PackageManager,
): { reasons: PackageReason[]; unmapped: string[] } {
  const table = ecosystem === null ? {} : AUTO_PACKAGES[ecosystem];
  const reasons: PackageReason[] = [];
  const unmapped: string[] = [];
  const seen = new Set<string>();
  for (const { name, source } of names) {
    const entry = Object.hasOwn(table, name) ? (table as Record<string, AutoPackage>)[name] : undefined;
    if (entry === undefined || seen.has(name)) continue;
    seen.add(name);
    const halves = packageManager === 'apt' ? entry.apt : entry.yum;
    if (halves === undefined) {
      unmapped.push(name);
      continue;
    }
    if (halves.build.length + halves.runtime.length > 0)
      reasons.push({ ...halves, dependency: name, source });
  }
  if (gitSource !== undefined)
    reasons.push({ ...GIT, dependency: 'git-sourced dependencies', source: gitSource });
  return { reasons, unmapped };
}
