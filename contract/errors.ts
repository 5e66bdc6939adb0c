// The one error type users see: what is wrong, where, and how to fix it. The CLI prints
// `message` and `hint` (never a stack trace) and exits with `exitCode`.
export const EXIT_CODES = {
  success: 0,
  /** Bad input, configuration, missing infrastructure or credentials, any local failure. */
  localError: 1,
  /** Command-line usage error (unknown flag, missing argument). */
  usage: 2,
  buildFailed: 10,
  buildFault: 11,
  buildTimedOut: 12,
  buildStopped: 13,
  /** Detached from a build that is still running (second Ctrl-C, or a lost connection). */
  detached: 14,
  /** Interrupted by Ctrl-C before a build was started (upload aborted cleanly). */
  interrupted: 130,
} as const;

export class KilnError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode: number = EXIT_CODES.localError,
  ) {
    super(message);
    this.name = 'KilnError';
  }
}
