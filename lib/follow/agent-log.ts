// The CodeBuild agent's own lines in a build's log that say where the build is: a phase starts, a
// phase ends with its state, and the reason it ended that way. kiln renders these itself (one line
// per phase), so a follower reads them as markers instead of printing them.
//   [Container] 2024/05/08 09:12:33.123456 Entering phase BUILD
//   [Container] 2024/05/08 09:12:40.654321 Phase complete: BUILD State: FAILED
//   [Container] 2024/05/08 09:12:40.654400 Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while …
// Older agents wrote `Phase complete: BUILD Success: false`; DOWNLOAD_SOURCE starts as `Phase is DOWNLOAD_SOURCE`.

export type AgentMarker =
  | { kind: 'start'; phase: string }
  | { kind: 'end'; phase: string; status: string }
  | { kind: 'context'; code: string; message: string };

const PREFIX = String.raw`^\[Container\] [0-9/:.TZ -]+? `;
const START = new RegExp(`${PREFIX}(?:Entering phase|Phase is) ([A-Z_]+)\\s*$`);
const END = new RegExp(`${PREFIX}Phase complete: ([A-Z_]+) (State|Success): (\\S+)\\s*$`);
const CONTEXT = new RegExp(`${PREFIX}Phase context status code: ?(\\S*) Message: ?(.*)$`);
/** `Command did not exit successfully <command> exit status N`: the context line says it again. */
const COMMAND_FAILED = new RegExp(`${PREFIX}Command did not exit successfully `);

/** The marker a log line is, or undefined for every other line (the build's own output). */
export function agentMarker(line: string): AgentMarker | undefined {
  const start = START.exec(line);
  if (start) return { kind: 'start', phase: start[1]! };
  const end = END.exec(line);
  if (end) {
    const [, phase, form, value] = end as unknown as [string, string, string, string];
    const status = form === 'State' ? value : value === 'true' ? 'SUCCEEDED' : 'FAILED';
    return { kind: 'end', phase, status };
  }
  const context = CONTEXT.exec(line);
  if (context) return { kind: 'context', code: context[1]!, message: context[2]!.trim() };
  return undefined;
}

/** Lines kiln replaces with its own phase lines and failure summary. */
export function isAgentBookkeeping(line: string): boolean {
  return agentMarker(line) !== undefined || COMMAND_FAILED.test(line);
}
