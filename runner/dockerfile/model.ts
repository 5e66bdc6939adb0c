// The Dockerfile as data: stages of instructions, rendered once. Generation, hooks, packages and
// build args all insert into this model; nothing edits rendered text.

/** Any other instruction (FROM-less: WORKDIR, USER, CMD…). Several `args` render as continued lines. */
export interface Instruction {
  kind: 'instruction';
  keyword: string;
  args: string[];
}

/** RUN with commands chained by `&&` when rendered, one per line. */
export interface Run {
  kind: 'run';
  commands: string[];
}

export interface Copy {
  kind: 'copy';
  from?: string;
  chown?: string;
  chmod?: string;
  sources: string[];
  dest: string;
}

/** ARG, with a default value or none (`null`). */
export interface Arg {
  kind: 'arg';
  name: string;
  defaultValue: string | null;
}

/** ENV with one key=value per line. */
export interface Env {
  kind: 'env';
  variables: [string, string][];
}

/** A comment line (`# text`). */
export interface Comment {
  kind: 'comment';
  text: string;
}

/** An empty line: layout between groups of instructions. */
export interface Blank {
  kind: 'blank';
}

/** Text inserted verbatim (a hook file), already validated as Dockerfile instructions. */
export interface Verbatim {
  kind: 'verbatim';
  text: string;
}

export type Line = Instruction | Run | Copy | Arg | Env | Comment | Blank | Verbatim;

export interface Stage {
  name: string;
  /** Image or earlier stage this stage starts from. */
  from: string;
  /** What the stage is for, rendered as a comment above FROM. */
  purpose: string;
  lines: Line[];
}

export interface DockerfileModel {
  /** Lines before the first FROM (global ARGs). */
  preamble: Line[];
  stages: Stage[];
}

export function instruction(keyword: string, ...args: string[]): Instruction {
  return { kind: 'instruction', keyword, args };
}

export function comment(text: string): Comment {
  return { kind: 'comment', text };
}

export function blank(): Blank {
  return { kind: 'blank' };
}

export function verbatim(text: string): Verbatim {
  return { kind: 'verbatim', text: text.replace(/\s+$/, '') };
}

/** RUN with commands chained by `&&`, one per line, so a failing step fails the layer. */
export function run(...commands: string[]): Run {
  return { kind: 'run', commands };
}

export function json(values: string[]): string {
  return JSON.stringify(values).replace(/","/g, '", "');
}

export function copy(
  sources: string[],
  dest: string,
  options: { from?: string; chown?: string; chmod?: string } = {},
): Copy {
  return { kind: 'copy', ...options, sources, dest };
}

export function env(variables: Record<string, string>): Env {
  return { kind: 'env', variables: Object.entries(variables) };
}

export function arg(name: string, defaultValue: string | null): Arg {
  return { kind: 'arg', name, defaultValue };
}

/** The one place that knows Dockerfile syntax: how each line is written. */
function renderLine(line: Line): string {
  switch (line.kind) {
    case 'blank':
      return '';
    case 'comment':
      return `# ${line.text}`;
    case 'verbatim':
      return line.text;
    case 'run':
      return renderInstruction(
        'RUN',
        line.commands.map((command, index) => (index === 0 ? command : `&& ${command}`)),
      );
    case 'copy': {
      const flags = [
        line.from && `--from=${line.from}`,
        line.chown && `--chown=${line.chown}`,
        line.chmod && `--chmod=${line.chmod}`,
      ];
      return renderInstruction('COPY', [[...flags.filter(Boolean), ...line.sources, line.dest].join(' ')]);
    }
    case 'arg':
      return renderInstruction('ARG', [
        line.defaultValue === null ? line.name : `${line.name}=${JSON.stringify(line.defaultValue)}`,
      ]);
    case 'env':
      // Values are quoted when they need it.
      return renderInstruction(
        'ENV',
        line.variables.map(
          ([key, value]) => `${key}=${/^[\w./:${}-]+$/.test(value) ? value : JSON.stringify(value)}`,
        ),
      );
    case 'instruction':
      return renderInstruction(line.keyword, line.args);
  }
}

function renderInstruction(keyword: string, args: string[]): string {
  return `${keyword} ${args.join(' \\\n    ')}`;
}

export function renderDockerfile(model: DockerfileModel): string {
  const blocks: string[] = [];
  if (model.preamble.length > 0) blocks.push(model.preamble.map(renderLine).join('\n'));
  for (const stage of model.stages) {
    const header = [`# ${stage.purpose}`, `FROM ${stage.from} AS ${stage.name}`];
    blocks.push([...header, ...stage.lines.map(renderLine)].join('\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}
