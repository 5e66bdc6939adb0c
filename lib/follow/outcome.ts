// What a finished (or running) build means to the user: exit code, image, failure detail, timings.
import type { Build } from '@aws-sdk/client-codebuild';
import { EXPORTED_VARIABLES } from '../../contract/description';
import { EXIT_CODES } from '../../contract/errors';
import { contextMessage } from './phases';

const STATUS_EXIT_CODES: Record<string, number> = {
  SUCCEEDED: EXIT_CODES.success,
  FAILED: EXIT_CODES.buildFailed,
  FAULT: EXIT_CODES.buildFault,
  TIMED_OUT: EXIT_CODES.buildTimedOut,
  STOPPED: EXIT_CODES.buildStopped,
  IN_PROGRESS: EXIT_CODES.detached,
};

export function exitCodeForStatus(status: string | undefined): number {
  return STATUS_EXIT_CODES[status ?? ''] ?? EXIT_CODES.buildFault;
}

export function isComplete(build: Build): boolean {
  return build.buildComplete ?? (build.buildStatus !== undefined && build.buildStatus !== 'IN_PROGRESS');
}

export interface FailedPhase {
  phase: string;
  status: string;
  /** The phase's `contexts[].message`, joined: CodeBuild's own explanation. */
  message?: string;
}

export interface BuildOutcome {
  buildId: string;
  status: string;
  exitCode: number;
  /** Start to end (or now, while running), in seconds. */
  durationSeconds?: number;
  imageUri?: string;
  digest?: string;
  tags: string[];
  failedPhase?: FailedPhase;
}

export function exportedVariables(
  build: Build,
): Partial<Record<(typeof EXPORTED_VARIABLES)[number], string>> {
  const known = new Set<string>(EXPORTED_VARIABLES);
  const values: Record<string, string> = {};
  for (const { name, value } of build.exportedEnvironmentVariables ?? []) {
    if (name && value && known.has(name)) values[name] = value;
  }
  return values;
}

export function failedPhase(build: Build): FailedPhase | undefined {
  const phase = (build.phases ?? []).find(
    (candidate) => candidate.phaseStatus !== undefined && candidate.phaseStatus !== 'SUCCEEDED',
  );
  if (!phase?.phaseType || !phase.phaseStatus) return undefined;
  const message = contextMessage(phase);
  return { phase: phase.phaseType, status: phase.phaseStatus, ...(message ? { message } : {}) };
}

export function summarizeBuild(build: Build, now = Date.now()): BuildOutcome {
  const status = build.buildStatus ?? 'IN_PROGRESS';
  const variables = exportedVariables(build);
  const failure = status === 'SUCCEEDED' ? undefined : failedPhase(build);
  const start = build.startTime?.getTime();
  const end = build.endTime?.getTime() ?? now;
  return {
    buildId: build.id ?? '',
    status,
    exitCode: exitCodeForStatus(status),
    ...(start !== undefined ? { durationSeconds: Math.max(0, (end - start) / 1000) } : {}),
    ...(variables.KILN_IMAGE_URI ? { imageUri: variables.KILN_IMAGE_URI } : {}),
    ...(variables.KILN_IMAGE_DIGEST ? { digest: variables.KILN_IMAGE_DIGEST } : {}),
    tags: (variables.KILN_IMAGE_TAGS ?? '').split(/[\s,]+/).filter(Boolean),
    ...(failure ? { failedPhase: failure } : {}),
  };
}

/**
 * Seconds spent waiting for a machine (SUBMITTED + QUEUED) and running on it (PROVISIONING to the
 * end), from the build's own phase records.
 */
export function remoteTimings(build: Build, now = Date.now()): { queued?: number; build?: number } {
  const provisioning = build.phases?.find((phase) => phase.phaseType === 'PROVISIONING')?.startTime;
  const start = build.startTime?.getTime();
  const end = build.endTime?.getTime() ?? now;
  if (start === undefined) return {};
  if (!provisioning) return { queued: (end - start) / 1000 };
  return { queued: (provisioning.getTime() - start) / 1000, build: (end - provisioning.getTime()) / 1000 };
}
