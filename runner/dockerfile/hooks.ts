// Stage hooks: Dockerfile instructions inserted at fixed points of the generated stages (the Jets
// stage-hook semantics). From config (`dockerfile.hooks.*`, first) and from `.kiln/stage/<name>`
// files (after), inserted verbatim once they parse as Dockerfile instructions.
import type { KilnConfig } from '../../contract/config-schema';
import { KilnError } from '../../contract/errors';
import type { ProjectSnapshot } from '../detect/snapshot';
import { type Verbatim, verbatim } from './model';
import { parseDockerfile } from './parse';

export const HOOKS = {
  before_build: 'beforeBuild',
  after_build: 'afterBuild',
  before_deployment: 'beforeDeployment',
  after_deployment: 'afterDeployment',
} as const;

export type HookName = keyof typeof HOOKS;
export type StageHooks = Record<HookName, Verbatim[]>;

export const HOOK_DIR = '.kiln/stage';

function validated(text: string, where: (line: number) => string): Verbatim {
  const { instructions, problems } = parseDockerfile(text);
  const problem =
    problems[0] ??
    instructions
      .filter((instruction) => instruction.keyword === 'FROM')
      .map((instruction) => ({
        line: instruction.line,
        message: 'FROM is not allowed in a stage hook (it would start a new stage)',
      }))[0];
  if (problem) {
    throw new KilnError(
      `${where(problem.line)}: ${problem.message}`,
      'Stage hooks hold Dockerfile instructions (RUN, COPY, ENV, ...), one per line; continue long lines with \\.',
    );
  }
  return verbatim(text);
}

export function collectHooks(snapshot: ProjectSnapshot, config: KilnConfig): StageHooks {
  const hooks = {} as StageHooks;
  for (const [name, key] of Object.entries(HOOKS) as [HookName, (typeof HOOKS)[HookName]][]) {
    const inline = config.dockerfile.hooks[key];
    const entries = inline === undefined ? [] : typeof inline === 'string' ? [inline] : inline;
    hooks[name] = entries.map((text, index) =>
      validated(
        text,
        (line) =>
          `kiln.config dockerfile.hooks.${key}${Array.isArray(inline) ? `[${index}]` : ''} line ${line}`,
      ),
    );
    const file = `${HOOK_DIR}/${name}`;
    const text = snapshot.contents.get(file);
    if (text !== undefined && text.trim() !== '')
      hooks[name].push(validated(text, (line) => `${file}:${line}`));
  }
  return hooks;
}
