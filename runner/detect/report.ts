// What detection decided and why: each decision names the file (or default, or config key) that
// made it, and each system package names the dependency that pulled it in. `kiln dockerfile
// --explain` prints this report.
import type { Framework } from '../../contract/config-schema';

export interface Decision {
  subject: string;
  value: string;
  /** File that decided it, `kiln.config (<key>)`, or `default`. */
  source: string;
}

export interface SystemPackages {
  build: string[];
  runtime: string[];
}

export interface PackageReason extends SystemPackages {
  /** The dependency (or `git-sourced dependencies`) that needs these packages. */
  dependency: string;
  source: string;
}

export interface DetectionReport {
  framework: Framework;
  decisions: Decision[];
  packages: PackageReason[];
}

export const DEFAULT_SOURCE = 'default';
export const CONFIG_SOURCE = (key: string) => `kiln.config (${key})`;

/** Collects decisions in the order they are made, so the report reads top to bottom. */
export class DecisionLog {
  readonly decisions: Decision[] = [];
  readonly warnings: string[] = [];

  decide<T extends string | number | boolean>(subject: string, value: T, source: string): T {
    this.decisions.push({ subject, value: String(value), source });
    return value;
  }

  warn(message: string): void {
    this.warnings.push(message);
  }
}

export function formatReport(report: DetectionReport, warnings: readonly string[]): string {
  const width = Math.max(...report.decisions.map((d) => d.subject.length), 9);
  const lines = [`framework: ${report.framework}`];
  for (const decision of report.decisions) {
    lines.push(`  ${decision.subject.padEnd(width)}  ${decision.value}  (from ${decision.source})`);
  }
  if (report.packages.length > 0) {
    lines.push('system packages:');
    for (const reason of report.packages) {
      const halves = [
        reason.build.length > 0 ? `build: ${reason.build.join(' ')}` : '',
        reason.runtime.length > 0 ? `runtime: ${reason.runtime.join(' ')}` : '',
      ].filter(Boolean);
      lines.push(`  ${halves.join('; ')}  (for ${reason.dependency}, from ${reason.source})`);
    }
  }
  for (const warning of warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}
