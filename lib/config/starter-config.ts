// The kiln.config.json `kiln init` writes: JSONC (lib/config/load.ts reads comments), holding only
// what differs from kiln's defaults, with what detection decided as commented-out overrides.
import type { DetectionReport } from '../../runner/index';

export interface StarterConfigInput {
  /** Where the JSON Schema is, as the editor should resolve it from the project. */
  schema: string;
  /** Detection's report; absent when no app was recognised. */
  report?: DetectionReport;
  /** Settings that differ from the defaults (e.g. `dockerfile.custom` for a Dockerfile-only project). */
  settings: Record<string, unknown>;
}

/** Detection decisions that are config keys, with how their value is written. */
const OVERRIDABLE: Record<string, { key: string; value: (text: string) => unknown }> = {
  'start command': { key: 'startCommand', value: (text) => text },
  port: { key: 'port', value: Number },
  'build command': { key: 'buildCommand', value: (text) => text },
};

export function renderStarterConfig({ schema, report, settings }: StarterConfigInput): string {
  const lines = [
    '// kiln settings for this project (JSON with comments). Every key is optional: what is not set here',
    '// is detected from the project or takes its default. Every option: docs/config.md in kiln;',
    '// what kiln decides and why: `kiln dockerfile --explain`.',
    '{',
    `  "$schema": ${JSON.stringify(schema)},`,
  ];
  for (const [key, value] of Object.entries(settings))
    lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)},`);
  if (report) {
    const overrides = report.decisions.flatMap((decision) => {
      const known = OVERRIDABLE[decision.subject];
      return known ? [{ ...known, decision }] : [];
    });
    lines.push(
      '',
      `  // Detected: ${report.framework}. Uncomment a line to override what detection decided:`,
    );
    lines.push(`  // "framework": ${JSON.stringify(report.framework)},`);
    for (const { key, value, decision } of overrides) {
      lines.push(
        `  // ${JSON.stringify(key)}: ${JSON.stringify(value(decision.value))}, // from ${decision.source}`,
      );
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
