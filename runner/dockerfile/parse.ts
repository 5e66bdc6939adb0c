// An instruction-level Dockerfile reader: enough to validate hook files (file:line errors) and to
// check generated Dockerfiles in tests. It follows the Dockerfile line rules: `#` comments, parser
// directives, backslash continuations, and one keyword per instruction.

export const DOCKERFILE_KEYWORDS = [
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
] as const;

export interface ParsedInstruction {
  keyword: string;
  /** Arguments with continuations joined by a space. */
  args: string;
  /** 1-based line where the instruction starts. */
  line: number;
}

export interface ParseProblem {
  line: number;
  message: string;
}

export interface ParsedDockerfile {
  instructions: ParsedInstruction[];
  problems: ParseProblem[];
}

const KEYWORDS = new Set<string>(DOCKERFILE_KEYWORDS);
/** Instructions whose arguments must be present and shaped a certain way. */
const ARGUMENT_RULES: Record<string, { pattern: RegExp; expected: string }> = {
  FROM: {
    pattern: /^(--platform=\S+\s+)?\S+(\s+AS\s+[a-z][\w.-]*)?$/i,
    expected: 'FROM <image> [AS <name>]',
  },
  COPY: { pattern: /^(--\S+\s+)*(\S+\s+)+\S+$|^\[.*\]$/, expected: 'COPY <source>... <destination>' },
  ADD: { pattern: /^(--\S+\s+)*(\S+\s+)+\S+$|^\[.*\]$/, expected: 'ADD <source>... <destination>' },
  // Docker takes several in one instruction: `ARG A B=1`.
  ARG: { pattern: /^[A-Za-z_]\w*(=.*|\s+\S.*)?$/, expected: 'ARG <name>[=<default>]...' },
  ENV: { pattern: /^[A-Za-z_]\w*(=|\s+)/, expected: 'ENV <key>=<value>...' },
  EXPOSE: {
    pattern: /^(\$\{?\w+\}?|\d+(-\d+)?)(\/(tcp|udp))?(\s+(\$\{?\w+\}?|\d+(-\d+)?)(\/(tcp|udp))?)*$/,
    expected: 'EXPOSE <port>[/<protocol>]...',
  },
  USER: { pattern: /^\S+$/, expected: 'USER <user>[:<group>]' },
  WORKDIR: { pattern: /^\S.*$/, expected: 'WORKDIR <path>' },
};

export function parseDockerfile(text: string): ParsedDockerfile {
  const instructions: ParsedInstruction[] = [];
  const problems: ParseProblem[] = [];
  const lines = text.split(/\r?\n/);
  let index = 0;
  while (index < lines.length) {
    const startLine = index + 1;
    const first = lines[index]!.trim();
    index++;
    if (first === '' || first.startsWith('#')) continue;
    let logical = first;
    while (logical.endsWith('\\')) {
      logical = logical.slice(0, -1).trimEnd();
      // Comment and blank lines inside a continuation are skipped, as BuildKit does.
      while (index < lines.length && /^\s*(#.*)?$/.test(lines[index]!)) index++;
      if (index >= lines.length) {
        problems.push({
          line: startLine,
          message: 'the instruction ends with a line continuation (\\) but no next line',
        });
        break;
      }
      logical += ` ${lines[index]!.trim()}`;
      index++;
    }
    // A lone carriage return (old Mac line ending) would hide the rest of the line in a terminal.
    const match = /[\r\u2028\u2029]/.test(logical) ? null : /^(\S+)\s*(.*)$/.exec(logical);
    if (!match) {
      problems.push({
        line: startLine,
        message: 'the line holds a lone carriage return (\\r): save the file with LF (or CRLF) line endings',
      });
      continue;
    }
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim();
    if (!KEYWORDS.has(keyword)) {
      problems.push({ line: startLine, message: `"${match[1]}" is not a Dockerfile instruction` });
      continue;
    }
    if (args === '') {
      problems.push({ line: startLine, message: `${keyword} needs arguments` });
      continue;
    }
    const rule = ARGUMENT_RULES[keyword];
    if (rule && !rule.pattern.test(args)) {
      problems.push({ line: startLine, message: `malformed ${keyword}: expected ${rule.expected}` });
      continue;
    }
    if (/^(CMD|ENTRYPOINT|SHELL)$/.test(keyword) && args.startsWith('[') && !isJsonArray(args)) {
      problems.push({
        line: startLine,
        message: `${keyword} starts like JSON (exec form) but is not a JSON array of strings`,
      });
      continue;
    }
    instructions.push({ keyword, args, line: startLine });
  }
  return { instructions, problems };
}

function isJsonArray(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((item) => typeof item === 'string');
  } catch {
    return false;
  }
}
