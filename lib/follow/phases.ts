// Turns successive BatchGetBuilds snapshots into phase transitions, each reported once.
import type { Build, BuildPhase } from '@aws-sdk/client-codebuild';

/** CodeBuild's own explanation of how a phase ended (`contexts[].message`, joined). */
export function contextMessage(phase: BuildPhase): string | undefined {
  const messages = (phase.contexts ?? []).map((context) => context.message?.trim()).filter(Boolean);
  return messages.length ? messages.join('; ') : undefined;
}

export type PhaseEvent =
  | { kind: 'phase-start'; phase: string }
  | { kind: 'phase-end'; phase: string; status: string; seconds?: number; message?: string };

export class PhaseTracker {
  private started = 0;
  private ended = 0;

  update(build: Build): PhaseEvent[] {
    const phases = build.phases ?? [];
    const events: PhaseEvent[] = [];
    // CodeBuild appends a phase when it starts and fills in its status when it ends, in order.
    for (; this.ended < phases.length && phases[this.ended]!.phaseStatus; this.ended++) {
      if (this.ended >= this.started) {
        events.push({ kind: 'phase-start', phase: phases[this.ended]!.phaseType ?? 'UNKNOWN' });
        this.started = this.ended + 1;
      }
      const phase = phases[this.ended]!;
      const message = contextMessage(phase);
      events.push({
        kind: 'phase-end',
        phase: phase.phaseType ?? 'UNKNOWN',
        status: phase.phaseStatus!,
        ...(phase.durationInSeconds !== undefined ? { seconds: phase.durationInSeconds } : {}),
        ...(message ? { message } : {}),
      });
    }
    for (; this.started < phases.length; this.started++) {
      events.push({ kind: 'phase-start', phase: phases[this.started]!.phaseType ?? 'UNKNOWN' });
    }
    return events;
  }
}
