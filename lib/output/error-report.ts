// The one formatter for every error a command ends with: what is wrong, where, how to fix it, an
// exit code; never a stack trace, raw Node error text or an SDK's "UnknownError". `--verbose`
// (on the commands that have it) adds what the underlying failure was: HTTP status, content type,
// request id, error name.
import { EXIT_CODES, KilnError } from '../../contract/errors';
import { neutralize } from './untrusted';

export interface ErrorReport {
  message: string;
  hint: string | null;
  exitCode: number;
  /** What went wrong underneath (shown with --verbose). */
  details: string | null;
}

export interface ReportContext {
  /** The command has a --verbose flag (the hint may point at it). */
  verboseFlag: boolean;
  verbose: boolean;
}

const FILE_ERRORS: Record<string, (path: string) => [string, string]> = {
  ENOENT: (path) => [
    `${path} does not exist`,
    'Check the path, or whether the file was removed while kiln ran.',
  ],
  EACCES: (path) => [
    `permission denied: ${path}`,
    'Make it readable by your user (chmod/chown), or exclude it in .kilnignore.',
  ],
  EPERM: (path) => [`operation not permitted: ${path}`, 'Check the file’s permissions and attributes.'],
  EISDIR: (path) => [
    `${path} is a directory where kiln expects a file`,
    'Replace it with a file, or remove it.',
  ],
  ENOTDIR: (path) => [`${path}: a part of this path is not a directory`, 'Check the path.'],
  ELOOP: (path) => [
    `${path} is a symlink (or became one while kiln read it)`,
    'Replace the link with the file itself.',
  ],
  ENAMETOOLONG: (path) => [`the path ${path} is too long`, 'Shorten the path.'],
  EMFILE: () => ['too many open files', 'Raise the limit (ulimit -n) and try again.'],
  ENFILE: () => [
    'too many open files on this system',
    'Close other programs or raise the limit, and try again.',
  ],
  ENOSPC: (path) => [
    `no space left on the device${path ? ` (writing ${path})` : ''}`,
    'Free some disk space (kiln writes the archive to the temp directory) and try again.',
  ],
  EROFS: (path) => [`${path} is on a read-only file system`, 'Write the output somewhere writable.'],
};

export function describeError(error: unknown, context: ReportContext): ErrorReport {
  const details = underlyingDetails(error);
  const report = (
    message: string,
    hint: string | null,
    exitCode: number = EXIT_CODES.localError,
  ): ErrorReport => ({
    message: neutralize(message),
    hint: hint === null ? null : neutralize(hint),
    exitCode,
    details: details === null ? null : neutralize(details),
  });
  if (error instanceof KilnError) return report(error.message, error.hint ?? null, error.exitCode);
  const errno = errnoOf(error);
  if (errno && FILE_ERRORS[errno.code]) {
    const [message, hint] = FILE_ERRORS[errno.code]!(errno.path ?? '');
    return report(message, hint);
  }
  const http = httpFailure(error);
  if (http) {
    const what = http.status
      ? `AWS answered HTTP ${http.status}`
      : 'AWS answered with something kiln cannot read';
    const notAws =
      http.contentType && !/json|xml/.test(http.contentType)
        ? ` with ${http.contentType.split(';')[0]}, not an AWS response (a proxy or a wrong endpoint in between?)`
        : '';
    const hint =
      http.status && http.status >= 500
        ? 'AWS (or something in between) failed; try again in a minute.'
        : 'Check the network, proxy settings and any AWS_ENDPOINT_URL* variables.';
    return report(`${what}${notAws}`, withVerboseHint(hint, context));
  }
  const name = error instanceof Error ? error.name : typeof error;
  return report(
    `internal error (${name}): kiln did not expect this and stopped`,
    withVerboseHint('Please report it with the command you ran.', context),
  );
}

/** The lines the CLI prints on stderr for an error. */
export function formatErrorReport(report: ErrorReport, context: ReportContext): string {
  let text = `kiln: ${report.message}\n`;
  if (report.hint) text += `  ${report.hint}\n`;
  if (context.verbose && report.details) text += `  details: ${report.details}\n`;
  return text;
}

function withVerboseHint(hint: string, context: ReportContext): string {
  if (context.verbose) return hint;
  return context.verboseFlag ? `${hint} Run again with --verbose for details.` : hint;
}

function errnoOf(error: unknown): { code: string; path?: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, path, syscall } = error as { code?: unknown; path?: unknown; syscall?: unknown };
  if (typeof code !== 'string' || typeof syscall !== 'string') return undefined;
  return { code, ...(typeof path === 'string' ? { path } : {}) };
}

interface HttpFailure {
  status?: number;
  contentType?: string;
  requestId?: string;
}

/** An AWS SDK error: `$metadata` on every service error, `$response` when the answer was unreadable. */
function httpFailure(error: unknown): HttpFailure | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const { $metadata, $response } = error as {
    $metadata?: { httpStatusCode?: number; requestId?: string };
    $response?: { statusCode?: number; headers?: Record<string, string> };
  };
  const status = $metadata?.httpStatusCode ?? $response?.statusCode;
  const contentType = $response?.headers?.['content-type'];
  return {
    ...(status ? { status } : {}),
    ...(contentType ? { contentType } : {}),
    ...($metadata?.requestId ? { requestId: $metadata.requestId } : {}),
  };
}

function underlyingDetails(error: unknown): string | null {
  if (error instanceof KilnError || !(error instanceof Error)) return null;
  const http = httpFailure(error);
  const parts = [
    `${error.name}: ${error.message.split('\n', 1)[0]}`,
    http?.status ? `HTTP status ${http.status}` : '',
    http?.contentType ? `content type ${http.contentType}` : '',
    http?.requestId ? `request id ${http.requestId}` : '',
  ];
  return parts.filter(Boolean).join(', ');
}
