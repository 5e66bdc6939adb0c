// A build's phases from two sources, each phase reported once, in order, with its duration:
// BatchGetBuilds snapshots (polled every few seconds; the only source before the build machine runs)
// and the agent's markers in the log (read every second, in order with the build's own lines). A
// phase the agent logs is reported when its end marker is read, so its line follows its log lines
// however the two polls interleave.
import type { Build, BuildPhase } from '@aws-sdk/client-codebuild';
import type { AgentMarker } from './agent-log';

/** CodeBuild's own explanation of how a phase ended (`contexts[].message`, joined). */
export function contextMessage(phase: BuildPhase): string | undefined {
  const messages = (phase.contexts ?? []).map((context) => context.message?.trim()).filter(Boolean);
  return messages.length ? messages.join('; ') : undefined;
}

export type PhaseEvent =
  | { kind: 'phase-start'; phase: string }
  | { kind: 'phase-end'; phase: string; status: string; seconds?: number; message?: string };

/** Phases whose start and end the agent writes to the build's log. */
const LOGGED_PHASES = new Set([
  'DOWNLOAD_SOURCE',
  'INSTALL',
  'PRE_BUILD',
  'BUILD',
  'POST_BUILD',
  'UPLOAD_ARTIFACTS',
]);
/** Phases every build goes through before the agent logs anything. */
const BEFORE_LOG = ['SUBMITTED', 'QUEUED', 'PROVISIONING'];

interface PhaseState {
  phase: string;
  start?: number;
  end?: number;
  status?: string;
  message?: string;
  /** The agent's end marker was read. */
  endLogged: boolean;
}

export class PhaseTimeline {
  private readonly phases: PhaseState[] = [];
  private reported = 0;
  /** The log is read: phases the agent logs wait for their end marker. */
  private logRead = false;

  /** Following the log from now on. */
  readingLog(): void {
    this.logRead = true;
  }

  fromStatus(build: Build): PhaseEvent[] {
    const events: PhaseEvent[] = [];
    for (const record of build.phases ?? []) {
      const state = this.state(record.phaseType ?? 'UNKNOWN', events);
      state.start ??= record.startTime?.getTime();
      if (record.phaseStatus) {
        state.status = record.phaseStatus;
        state.end ??= record.endTime?.getTime();
        state.message ??= contextMessage(record);
      }
    }
    return [...this.ready(false), ...events];
  }

  /** `at`: the log event's timestamp. */
  fromLog(marker: AgentMarker, at: number): PhaseEvent[] {
    if (marker.kind === 'context') return [];
    const events: PhaseEvent[] = [];
    const state = this.state(marker.phase, events);
    if (marker.kind === 'start') state.start ??= at;
    else {
      state.status ??= marker.status;
      state.end ??= at;
      state.endLogged = true;
    }
    return [...this.ready(false), ...events];
  }

  /**
   * The log shows `phase` while a phase before the log (QUEUED, PROVISIONING) has no known end: a
   * status read now gives its duration before the line is due.
   */
  needsStatusBefore(phase: string): boolean {
    if (!LOGGED_PHASES.has(phase)) return false;
    return BEFORE_LOG.some((early) => this.phases.find((state) => state.phase === early)?.end === undefined);
  }

  /** The build is over and its log drained: every phase still pending, whatever said it ended. */
  flush(): PhaseEvent[] {
    return this.ready(true);
  }

  private state(phase: string, events: PhaseEvent[]): PhaseState {
    let state = this.phases.find((candidate) => candidate.phase === phase);
    if (!state) {
      state = { phase, endLogged: false };
      this.phases.push(state);
      events.push({ kind: 'phase-start', phase });
    }
    return state;
  }

  private ready(flushing: boolean): PhaseEvent[] {
    const events: PhaseEvent[] = [];
    for (; this.reported < this.phases.length; this.reported++) {
      const state = this.phases[this.reported]!;
      const next = this.phases[this.reported + 1];
      // A later phase started: this one is over even if no source said so yet.
      const end = state.end ?? next?.start;
      if (end === undefined) break;
      if (this.logRead && LOGGED_PHASES.has(state.phase) && !state.endLogged && !flushing) break;
      const start = state.start ?? this.phases[this.reported - 1]?.end;
      events.push({
        kind: 'phase-end',
        phase: state.phase,
        status: state.status ?? 'SUCCEEDED',
        ...(start !== undefined ? { seconds: Math.max(0, end - start) / 1000 } : {}),
        ...(state.message ? { message: state.message } : {}),
      });
    }
    return events;
  }
}
