// The Dockerfile as data: stages of instructions, rendered once. Generation, hooks, packages and
// build args all insert into this model; nothing edits rendered text.

/** One Dockerfile instruction. `args` with several entries render as backslash-continued lines. */
export interface Instruction {
  kind: 'instruction';
  keyword: string;
  args: string[];
}

/** A comment line (`# text`), or a blank line when text is empty. */
export interface Comment {
  kind: 'comment';
  text: string;
}

/** Text inserted verbatim (a hook file), already validated as Dockerfile instructions. */
export interface Verbatim {
  kind: 'verbatim';
  text: string;
}

export type Line = Instruction | Comment | Verbatim;

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

export function verbatim(text: string): Verbatim {
  return { kind: 'verbatim', text: text.replace(/\s+$/, '') };
}

/** RUN with commands chained by `&&`, one per line, so a failing step fails the layer. */
export function run(...commands: string[]): Instruction {
  return instruction('RUN', ...commands.map((command, index) => (index === 0 ? command : `&& ${command}`)));
}

export function json(values: string[]): string {
  return JSON.stringify(values).replace(/","/g, '", "');
}

export function copy(
  sources: string[],
  destination: string,
  options: { from?: string; chown?: string } = {},
) {
  const flags = [options.from && `--from=${options.from}`, options.chown && `--chown=${options.chown}`];
  return instruction('COPY', [...flags.filter(Boolean), ...sources, destination].join(' '));
}

/** ENV with one key=value per line; values are quoted when they need it. */
export function env(variables: Record<string, string>): Instruction {
  return instruction(
    'ENV',
    ...Object.entries(variables).map(
      ([key, value]) => `${key}=${/^[\w./:${}-]+$/.test(value) ? value : JSON.stringify(value)}`,
    ),
  );
}

export function arg(name: string, defaultValue: string | null): Instruction {
  return instruction('ARG', defaultValue === null ? name : `${name}=${JSON.stringify(defaultValue)}`);
}

function renderLine(line: Line): string {
  switch (line.kind) {
    case 'comment':
      return line.text === '' ? '' : `# ${line.text}`;
    case 'verbatim':
      return line.text;
    case 'instruction':
      return `${line.keyword} ${line.args.join(' \\\n    ')}`;
  }
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
