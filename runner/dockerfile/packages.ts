// System package installs: one RUN per stage, package lists and apt's binary caches
// (pkgcache.bin/srcpkgcache.bin, ~77 MB on bookworm) cleaned in the same layer so the index never
// lands in an image.
import type { PackageManager } from './base-images';
import { type Run, run } from './model';

const INSTALL: Record<PackageManager, (packages: string) => string[]> = {
  apt: (packages) => [
    'apt-get update -qq',
    `apt-get install --no-install-recommends -y ${packages}`,
    'rm -rf /var/lib/apt/lists/* /var/cache/apt/*',
  ],
  yum: (packages) => [`yum install -y ${packages}`, 'yum clean all', 'rm -rf /var/cache/yum'],
  dnf: (packages) => [`dnf install -y ${packages}`, 'dnf clean all'],
  microdnf: (packages) => [`microdnf install -y ${packages}`, 'microdnf clean all'],
};

/** Sorted, de-duplicated install step, or nothing when there is nothing to install. */
export function installPackages(manager: PackageManager, packages: readonly string[]): Run[] {
  const unique = [...new Set(packages)].sort();
  return unique.length === 0 ? [] : [run(...INSTALL[manager](unique.join(' ')))];
}
