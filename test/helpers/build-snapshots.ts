// Builds BatchGetBuilds snapshots the way CodeBuild reports them: phases appended as they start,
// status filled in when they end, logs known once provisioning is done.
import type { Build, BuildPhase, StatusType } from '@aws-sdk/client-codebuild';
import { PHASES as RUN_PHASES } from './fakes/codebuild-model';

export const BUILD_ID = 'kiln:0b7c9e1e-1111-4a55-9d6a-abcdefabcdef';
export const LOG_GROUP = '/kiln/builds';
export const LOG_STREAM = '0b7c9e1e-1111-4a55-9d6a-abcdefabcdef';

/** CodeBuild's phases in order, as the fake runs them, then COMPLETED. */
export const PHASES = [...RUN_PHASES, 'COMPLETED'] as const;

export interface SnapshotOptions {
  /** The phase running now (all before it ended SUCCEEDED). */
  current: (typeof PHASES)[number];
  status?: string;
  /** A phase that ended with `failure.status` and a context message (phases after it skipped to FINALIZING). */
  failure?: { phase: (typeof PHASES)[number]; status: string; message: string };
  exported?: Record<string, string>;
}

export function snapshot(options: SnapshotOptions): Build {
  const start = new Date(1_700_000_000_000);
  const upTo = PHASES.indexOf(options.current);
  const phases: BuildPhase[] = PHASES.slice(0, upTo + 1).map((phaseType, index) => {
    const phaseStart = new Date(start.getTime() + index * 10_000);
    if (index === upTo) return { phaseType, startTime: phaseStart };
    const failed = options.failure?.phase === phaseType;
    return {
      phaseType,
      startTime: phaseStart,
      endTime: new Date(phaseStart.getTime() + 10_000),
      durationInSeconds: 10,
      phaseStatus: (failed ? options.failure!.status : 'SUCCEEDED') as StatusType,
      ...(failed
        ? { contexts: [{ statusCode: 'COMMAND_EXECUTION_ERROR', message: options.failure!.message }] }
        : {}),
    };
  });
  const status = (options.status ?? 'IN_PROGRESS') as StatusType;
  const complete = options.current === 'COMPLETED';
  return {
    id: BUILD_ID,
    buildStatus: status,
    buildComplete: complete,
    currentPhase: options.current,
    startTime: start,
    ...(complete ? { endTime: new Date(start.getTime() + upTo * 10_000) } : {}),
    phases,
    ...(upTo > PHASES.indexOf('PROVISIONING')
      ? { logs: { groupName: LOG_GROUP, streamName: LOG_STREAM } }
      : {}),
    ...(options.exported
      ? {
          exportedEnvironmentVariables: Object.entries(options.exported).map(([name, value]) => ({
            name,
            value,
          })),
        }
      : {}),
  };
}
