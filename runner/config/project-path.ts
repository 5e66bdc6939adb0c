// Paths in the config that name something inside the project (copyForInstall): relative,
// normalised, never escaping the project directory (the build context). dockerfile.custom is
// checked where the Dockerfile is read (runner/steps/prepare-dockerfile.ts), with its own error.
import { posix } from 'node:path';
import { KilnError } from '../../contract/errors';

export function projectPath(key: string, value: string): string {
  const normalised = posix.normalize(value.replace(/\\/g, '/')).replace(/\/$/, '');
  if (
    posix.isAbsolute(normalised) ||
    normalised === '..' ||
    normalised.startsWith('../') ||
    normalised === '.'
  ) {
    throw new KilnError(
      `${key} "${value}" is not a path inside the project`,
      'Use a path relative to the project directory, such as "vendor/gems"; the build only sees the project.',
    );
  }
  return normalised;
}
