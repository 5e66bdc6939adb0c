// Adds lockfile entries for other platforms' optional binaries (biome, swc, ... for darwin, win32,
// musl) that a registry mirror without them leaves out: `npm ci` refuses a lock that lacks them.
// Each entry carries os/cpu/libc, so `npm ci` skips it on non-matching machines, as with a full lock.
// Run after `npm install` changes package-lock.json: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const OS = new Set(['android', 'darwin', 'linux', 'win32', 'freebsd', 'openharmony']);
const CPU = new Set(['arm64', 'x64', 'ia32', 'ppc64', 's390x', 'loong64', 'riscv64', 'arm']);

function platformOf(name) {
  const tokens = name.split('/').at(-1).split('-');
  const os = tokens.filter((t) => OS.has(t));
  const cpu = tokens.filter((t) => CPU.has(t));
  if (os.length !== 1 || cpu.length !== 1) return null;
  const libc = tokens.some((t) => t.startsWith('musl'))
    ? ['musl']
    : tokens.some((t) => t.startsWith('gnu'))
      ? ['glibc']
      : undefined;
  return { os, cpu, ...(libc ? { libc } : {}) };
}

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
const added = [];
for (const meta of Object.values(packages)) {
  for (const [name, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const platform = platformOf(name);
    // Only hoisted platform binaries: anything else missing is a real lockfile problem for npm to report.
    if (key in packages || !platform) continue;
    packages[key] = {
      version: spec.replace(/^[\^~=]/, ''),
      ...(meta.dev ? { dev: true } : {}),
      optional: true,
      ...platform,
    };
    added.push(name);
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(
  `complete-lockfile: added ${added.length} platform entries${added.length ? `: ${added.join(', ')}` : ''}`,
);
