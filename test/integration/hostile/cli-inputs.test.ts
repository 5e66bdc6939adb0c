// The hostile-input catalogue, offline part: bad project trees, ignore files, config files, hooks,
// app manifests, version files and flags, each run through the real CLI (`pack`, `dockerfile`,
// `build` up to its first AWS call). Every case asserts the exit code, the one line the user reads,
// and that nothing was left behind (temp directory empty, no project file changed).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { errorLine, expectNoInternals, type HostileClass, treeState } from '../../helpers/hostile';
import { runCli } from '../cli/run-cli';

jest.setTimeout(60_000);

interface Paths {
  project: string;
  /** A directory outside the project for outputs. */
  out: string;
}

interface Case {
  name: string;
  class: HostileClass;
  files?: Record<string, string | Buffer>;
  setup?: (paths: Paths) => void;
  args: (paths: Paths) => string[];
  code: number;
  /** The line the user reads (the first non-warning `kiln:` line; a warning line when `warning`). */
  line: RegExp;
  warning?: boolean;
  check?: (result: { stdout: string; stderr: string }, paths: Paths) => void;
  /** Files the command may change in the project (its own output). */
  mayChange?: string[];
}

const APP = {
  'package.json': JSON.stringify({ name: 'demo', scripts: { start: 'node index.js' } }),
  'index.js': 'console.log("hi");\n',
};
const pack = ({ project, out }: Paths) => ['pack', project, '-o', join(out, 'out.zip')];
const dockerfile = ({ project }: Paths) => ['dockerfile', project];
const build = ({ project }: Paths) => ['build', project];
const fifo = (path: string) => execFileSync('mkfifo', [path]);
const long = 'a'.repeat(40_000);
const huge = (bytes: number) => Buffer.alloc(bytes, 'x');

const CASES: Case[] = [
  // Project trees
  {
    name: 'project directory does not exist',
    class: 'internal error as message',
    args: ({ project }) => ['pack', join(project, 'nope')],
    code: 1,
    line: /is not a project directory/,
  },
  {
    name: 'project path is a file',
    class: 'internal error as message',
    args: ({ project }) => ['pack', join(project, 'index.js')],
    code: 1,
    line: /is not a project directory/,
  },
  {
    name: 'dockerfile: project path is a file',
    class: 'internal error as message',
    args: ({ project }) => ['dockerfile', join(project, 'index.js')],
    code: 1,
    line: /is not a directory/,
  },
  {
    name: 'a FIFO in the project is reported, not read',
    class: 'hang or ignored signal',
    setup: ({ project }) => fifo(join(project, 'queue')),
    args: pack,
    code: 0,
    warning: true,
    line: /queue is not a regular file.*not packed/,
  },
  {
    name: 'a FIFO in a subfolder is reported, not read',
    class: 'hang or ignored signal',
    setup: ({ project }) => {
      mkdirSync(join(project, 'run'));
      fifo(join(project, 'run', 'ctl'));
    },
    args: pack,
    code: 0,
    warning: true,
    line: /run\/ctl is not a regular file/,
  },
  {
    name: 'an excluded FIFO is not mentioned',
    class: 'hang or ignored signal',
    files: { '.kilnignore': 'queue\n' },
    setup: ({ project }) => fifo(join(project, 'queue')),
    args: pack,
    code: 0,
    line: /^$/,
    check: ({ stderr }) => expect(stderr).not.toContain('queue'),
  },
  {
    name: 'a symlink to outside the project',
    class: 'silent loss or substitution',
    setup: ({ project }) => symlinkSync('/etc/hostname', join(project, 'host')),
    args: pack,
    code: 1,
    line: /symlink host points outside the project/,
  },
  {
    name: 'a symlink loop is kept as links',
    class: 'hang or ignored signal',
    setup: ({ project }) => {
      symlinkSync('b', join(project, 'a'));
      symlinkSync('a', join(project, 'b'));
    },
    args: pack,
    code: 0,
    line: /^$/,
  },
  {
    name: 'a dangling symlink is kept as a link',
    class: 'silent loss or substitution',
    setup: ({ project }) => symlinkSync('missing.txt', join(project, 'dangling')),
    args: pack,
    code: 0,
    line: /^$/,
  },
  {
    name: 'a file name that is not UTF-8',
    class: 'internal error as message',
    setup: ({ project }) => writeFileSync(Buffer.from(`${project}/\xff\xfe.js`, 'latin1'), 'x'),
    args: pack,
    code: 1,
    line: /a file name is not valid UTF-8/,
  },
  {
    name: 'a file name with a terminal escape, listed',
    class: 'secrets and untrusted output',
    files: { '\u001b]0;pwned\u0007.js': 'x' },
    args: ({ project }) => ['pack', project, '--list'],
    code: 0,
    line: /^$/,
    check: ({ stdout }) => {
      expect(stdout).not.toContain('\u001b');
      expect(stdout).toContain('\\x1b]0;pwned\\x07.js');
    },
  },
  {
    name: 'a file in kiln’s reserved folder',
    class: 'silent loss or substitution',
    files: { '.kiln-build/x': 'x' },
    args: pack,
    code: 1,
    line: /\.kiln-build\/x: the \.kiln-build\/ folder is reserved/,
  },
  {
    name: 'pack -o over a project source file',
    class: 'silent loss or substitution',
    args: ({ project }) => ['pack', project, '-o', join(project, 'index.js')],
    code: 1,
    line: /refusing to write the archive over index\.js/,
  },
  {
    name: 'pack -o over package.json',
    class: 'silent loss or substitution',
    args: ({ project }) => ['pack', project, '-o', join(project, 'package.json')],
    code: 1,
    line: /refusing to write the archive over package\.json/,
  },
  {
    name: 'pack -o over a zip the project owns',
    class: 'silent loss or substitution',
    files: { 'assets.zip': Buffer.from('PK\u0003\u0004 not kiln') },
    args: ({ project }) => ['pack', project, '-o', join(project, 'assets.zip')],
    code: 1,
    line: /refusing to write the archive over assets\.zip/,
  },
  {
    name: 'pack -o into a folder that does not exist',
    class: 'internal error as message',
    args: ({ out }) => ['pack', '.', '-o', join(out, 'missing', 'out.zip')],
    code: 1,
    line: /cannot write the archive to .*missing\/out\.zip/,
  },
  {
    name: 'pack -o naming a directory',
    class: 'internal error as message',
    args: ({ project, out }) => ['pack', project, '-o', out],
    code: 1,
    line: /cannot write the archive to/,
  },
  {
    name: 'a project file named like the generated Dockerfile',
    class: 'silent loss or substitution',
    files: { 'Dockerfile.kiln': 'FROM scratch\n' },
    args: dockerfile,
    code: 0,
    warning: true,
    line: /a file named Dockerfile\.kiln, which the generated Dockerfile replaces/,
  },
  // Ignore files
  {
    name: '.dockerignore is a directory',
    class: 'internal error as message',
    setup: ({ project }) => mkdirSync(join(project, '.dockerignore')),
    args: pack,
    code: 1,
    line: /\.dockerignore is a directory, not a regular file/,
  },
  {
    name: '.kilnignore is a directory',
    class: 'internal error as message',
    setup: ({ project }) => mkdirSync(join(project, '.kilnignore')),
    args: pack,
    code: 1,
    line: /\.kilnignore is a directory/,
  },
  {
    name: '.dockerignore is a FIFO',
    class: 'hang or ignored signal',
    setup: ({ project }) => fifo(join(project, '.dockerignore')),
    args: pack,
    code: 1,
    line: /\.dockerignore is a FIFO \(named pipe\)/,
  },
  {
    name: '.kilnignore is a FIFO',
    class: 'hang or ignored signal',
    setup: ({ project }) => fifo(join(project, '.kilnignore')),
    args: pack,
    code: 1,
    line: /\.kilnignore is a FIFO/,
  },
  {
    name: '.gitignore is a FIFO',
    class: 'hang or ignored signal',
    setup: ({ project }) => fifo(join(project, '.gitignore')),
    args: pack,
    code: 0,
    warning: true,
    line: /\.gitignore is not a regular file.*not packed/,
  },
  {
    name: 'a nested .gitignore is a FIFO',
    class: 'hang or ignored signal',
    setup: ({ project }) => {
      mkdirSync(join(project, 'src'));
      fifo(join(project, 'src', '.gitignore'));
    },
    args: pack,
    code: 0,
    warning: true,
    line: /src\/\.gitignore is not a regular file/,
  },
  {
    name: '.dockerignore is a link to /dev/zero',
    class: 'hang or ignored signal',
    setup: ({ project }) => symlinkSync('/dev/zero', join(project, '.dockerignore')),
    args: pack,
    code: 1,
    line: /\.dockerignore is a device/,
  },
  {
    name: 'a 40,000-character .dockerignore pattern',
    class: 'internal error as message',
    files: { '.dockerignore': `${long}\n` },
    args: pack,
    code: 1,
    line: /\.dockerignore line 1 is a pattern of 40000 characters/,
  },
  {
    name: 'a 40,000-character .kilnignore pattern',
    class: 'internal error as message',
    files: { '.kilnignore': `dist\n${long}\n` },
    args: pack,
    code: 1,
    line: /\.kilnignore line 2 is a pattern of 40000 characters/,
  },
  {
    name: 'a 40,000-character .gitignore pattern',
    class: 'internal error as message',
    files: { '.gitignore': long },
    args: pack,
    code: 1,
    line: /\.gitignore line 1 is a pattern/,
  },
  {
    name: 'a 2 MiB .dockerignore',
    class: 'silent loss or substitution',
    files: { '.dockerignore': huge(2 * 1024 * 1024) },
    args: pack,
    code: 1,
    line: /\.dockerignore is 2097152 bytes; kiln reads ignore files of at most/,
  },
  {
    name: 'a .dockerignore of binary junk',
    class: 'internal error as message',
    files: { '.dockerignore': Buffer.from([0, 1, 2, 255, 254, 10, 0x1b, 10]) },
    args: pack,
    code: 0,
    line: /^$/,
  },
  {
    name: 'a .dockerignore with CRLF line ends',
    class: 'silent loss or substitution',
    files: { '.dockerignore': 'secret.txt\r\n', 'secret.txt': 's' },
    args: ({ project }) => ['pack', project, '--list'],
    code: 0,
    line: /^$/,
    check: ({ stdout }) => expect(stdout).not.toContain('secret.txt'),
  },
  // Config files
  {
    name: 'kiln.config.json is not JSON',
    class: 'internal error as message',
    files: { 'kiln.config.json': '{ name: ' },
    args: pack,
    code: 1,
    line: /kiln\.config\.json is not valid JSON/,
  },
  {
    name: 'kiln.config.json is not UTF-8',
    class: 'internal error as message',
    files: { 'kiln.config.json': Buffer.from([0x7b, 0xff, 0x7d]) },
    args: pack,
    code: 1,
    line: /kiln\.config\.json is not valid JSON/,
  },
  {
    name: 'kiln.config.json is a directory',
    class: 'internal error as message',
    setup: ({ project }) => mkdirSync(join(project, 'kiln.config.json')),
    args: pack,
    code: 1,
    line: /kiln\.config\.json is a directory/,
  },
  {
    name: 'kiln.config.json is a FIFO (pack)',
    class: 'hang or ignored signal',
    setup: ({ project }) => fifo(join(project, 'kiln.config.json')),
    args: pack,
    code: 1,
    line: /kiln\.config\.json is a FIFO/,
  },
  {
    name: 'kiln.config.json is a FIFO (dockerfile)',
    class: 'hang or ignored signal',
    setup: ({ project }) => fifo(join(project, 'kiln.config.json')),
    args: dockerfile,
    code: 1,
    line: /kiln\.config\.json is a FIFO/,
  },
  {
    name: 'kiln.config.json is a FIFO (build)',
    class: 'hang or ignored signal',
    setup: ({ project }) => fifo(join(project, 'kiln.config.json')),
    args: build,
    code: 1,
    line: /kiln\.config\.json is a FIFO/,
  },
  {
    name: 'kiln.config.json links to /dev/zero',
    class: 'hang or ignored signal',
    setup: ({ project }) => symlinkSync('/dev/zero', join(project, 'kiln.config.json')),
    args: dockerfile,
    code: 1,
    line: /kiln\.config\.json is a device/,
  },
  {
    name: 'a 2 MiB kiln.config.json',
    class: 'silent loss or substitution',
    files: { 'kiln.config.json': huge(2 * 1024 * 1024) },
    args: pack,
    code: 1,
    line: /kiln\.config\.json is 2097152 bytes; a kiln config is at most/,
  },
  {
    name: 'kiln.config.json is null',
    class: 'internal error as message',
    files: { 'kiln.config.json': 'null' },
    args: pack,
    code: 1,
    line: /kiln\.config\.json/,
  },
  {
    name: 'kiln.config.json is an array',
    class: 'internal error as message',
    files: { 'kiln.config.json': '[1]' },
    args: pack,
    code: 1,
    line: /kiln\.config\.json/,
  },
  {
    name: 'kiln.config.json has an unknown key',
    class: 'silent loss or substitution',
    files: { 'kiln.config.json': '{"nmae":"x"}' },
    args: pack,
    code: 1,
    line: /kiln\.config\.json.*nmae/,
  },
  {
    name: 'kiln.config.json has a number for name',
    class: 'internal error as message',
    files: { 'kiln.config.json': '{"name":5}' },
    args: pack,
    code: 1,
    line: /kiln\.config\.json.*name/,
  },
  {
    name: 'two config files',
    class: 'silent loss or substitution',
    files: { 'kiln.config.json': '{}', 'kiln.config.js': 'module.exports = {}' },
    args: pack,
    code: 1,
    line: /found kiln\.config\.json and kiln\.config\.js/,
  },
  {
    name: 'kiln.config.ts with a syntax error',
    class: 'internal error as message',
    files: { 'kiln.config.ts': 'export default {' },
    args: pack,
    code: 1,
    line: /kiln\.config\.ts failed to load/,
  },
  {
    name: 'kiln.config.ts that throws',
    class: 'internal error as message',
    files: { 'kiln.config.ts': 'throw new Error("boom");\nexport default {};' },
    args: pack,
    code: 1,
    line: /kiln\.config\.ts failed to load: boom/,
  },
  {
    name: 'kiln.config.ts whose export never settles (pack)',
    class: 'success reported for a failure',
    files: { 'kiln.config.ts': 'export default new Promise(() => {});' },
    args: pack,
    code: 1,
    line: /kiln\.config\.ts never produced a config/,
    check: (_result, { out }) => expect(readdirSync(out)).toEqual([]),
  },
  {
    name: 'kiln.config.ts whose export never settles (dockerfile)',
    class: 'success reported for a failure',
    files: { 'kiln.config.ts': 'export default new Promise(() => {});' },
    args: dockerfile,
    code: 1,
    line: /kiln\.config\.ts never produced a config/,
  },
  {
    name: 'kiln.config.ts whose export never settles (build)',
    class: 'success reported for a failure',
    files: { 'kiln.config.ts': 'export default new Promise(() => {});' },
    args: build,
    code: 1,
    line: /kiln\.config\.ts never produced a config/,
  },
  {
    name: 'kiln.config.ts that exits the process',
    class: 'success reported for a failure',
    files: { 'kiln.config.ts': 'process.exit(0);\nexport default {};' },
    args: pack,
    code: 1,
    line: /kiln\.config\.ts never produced a config/,
  },
  {
    name: 'kiln.config.ts exporting a function',
    class: 'internal error as message',
    files: { 'kiln.config.ts': 'export default () => ({});' },
    args: pack,
    code: 1,
    line: /kiln\.config\.ts failed to load: its default export is not plain data/,
  },
  {
    name: 'kiln.config.ts is a FIFO',
    class: 'hang or ignored signal',
    setup: ({ project }) => fifo(join(project, 'kiln.config.ts')),
    args: pack,
    code: 1,
    line: /kiln\.config\.ts is a FIFO/,
  },
  {
    name: 'kiln.config.js throwing an escape sequence',
    class: 'secrets and untrusted output',
    files: { 'kiln.config.js': 'throw new Error("\\u001b]2;owned\\u0007");' },
    args: pack,
    code: 1,
    line: /kiln\.config\.js failed to load: \\x1b\]2;owned\\x07/,
  },
  // Hooks, app manifests, version files
  {
    name: 'a hook with a lone CR',
    class: 'internal error as message',
    files: { '.kiln/stage/before_build': 'RUN echo a\rRUN echo b\n' },
    args: dockerfile,
    code: 1,
    line: /\.kiln\/stage\/before_build:1: the line holds a lone carriage return/,
  },
  {
    name: 'a hook with CRLF line ends works',
    class: 'internal error as message',
    files: { '.kiln/stage/before_build': 'RUN echo a\r\nRUN echo b\r\n' },
    args: dockerfile,
    code: 0,
    line: /^$/,
    check: ({ stdout }) => expect(stdout).toContain('RUN echo b'),
  },
  {
    name: 'a hook with FROM',
    class: 'internal error as message',
    files: { '.kiln/stage/after_build': 'FROM alpine\n' },
    args: dockerfile,
    code: 1,
    line: /after_build:1: FROM is not allowed in a stage hook/,
  },
  {
    name: 'a hook with an unknown instruction',
    class: 'internal error as message',
    files: { '.kiln/stage/before_build': 'RNU make\n' },
    args: dockerfile,
    code: 1,
    line: /before_build:1: "RNU" is not a Dockerfile instruction/,
  },
  {
    name: 'a hook ending in a continuation',
    class: 'internal error as message',
    files: { '.kiln/stage/before_build': 'RUN make \\\n' },
    args: dockerfile,
    code: 1,
    line: /before_build:1: the instruction ends with a line continuation/,
  },
  {
    name: 'a hook over 512 KiB is used, not dropped',
    class: 'silent loss or substitution',
    files: { '.kiln/stage/before_build': `RUN echo big\n${'# padding\n'.repeat(60_000)}` },
    args: dockerfile,
    code: 0,
    line: /^$/,
    check: ({ stdout }) => expect(stdout).toContain('RUN echo big'),
  },
  {
    name: 'a pnpm lockfile over 512 KiB is used, not dropped',
    class: 'silent loss or substitution',
    files: { 'pnpm-lock.yaml': `lockfileVersion: '9.0'\n${'# padding\n'.repeat(60_000)}` },
    args: dockerfile,
    code: 0,
    line: /^$/,
    check: ({ stdout }) => expect(stdout).toContain('pnpm'),
  },
  {
    name: 'a yarn berry lockfile over 512 KiB is read, not taken for yarn classic',
    class: 'silent loss or substitution',
    files: {
      'yarn.lock': `__metadata:\n  version: 8\n  cacheKey: 10c0\n\n${'# padding\n'.repeat(60_000)}`,
    },
    args: dockerfile,
    code: 0,
    line: /^$/,
    check: ({ stdout }) => expect(stdout).toContain('yarn install --immutable'),
  },
  {
    name: 'engines.node is a number',
    class: 'internal error as message',
    files: {
      'package.json': JSON.stringify({
        name: 'x',
        engines: { node: 20 },
        scripts: { start: 'node index.js' },
      }),
    },
    args: dockerfile,
    code: 0,
    line: /^$/,
    check: ({ stdout }) => expect(stdout).toMatch(/node:20/),
  },
  {
    name: 'engines.node is an object',
    class: 'internal error as message',
    files: {
      'package.json': JSON.stringify({
        name: 'x',
        engines: { node: {} },
        scripts: { start: 'node index.js' },
      }),
    },
    args: dockerfile,
    code: 1,
    line: /package\.json: engines\.node must be a version string/,
  },
  {
    name: 'package.json is not JSON',
    class: 'internal error as message',
    files: { 'package.json': '{"name":' },
    args: dockerfile,
    code: 1,
    line: /package\.json is not valid JSON/,
  },
  {
    name: 'package.json is an array',
    class: 'internal error as message',
    files: { 'package.json': '[]' },
    args: dockerfile,
    code: 1,
    line: /package\.json must contain a JSON object/,
  },
  {
    name: 'package.json is null',
    class: 'internal error as message',
    files: { 'package.json': 'null' },
    args: dockerfile,
    code: 1,
    line: /package\.json must contain a JSON object/,
  },
  {
    name: '.nvmrc holds nonsense',
    class: 'internal error as message',
    files: { '.nvmrc': 'banana\n' },
    args: dockerfile,
    code: 1,
    line: /\.nvmrc: "banana" is not a valid Node\.js version/,
  },
  {
    name: '.node-version holds an escape sequence',
    class: 'secrets and untrusted output',
    files: { '.node-version': '\u001b[2J20\n' },
    args: dockerfile,
    code: 1,
    line: /\.node-version: "\\x1b\[2J20" is not a valid Node\.js version/,
  },
  {
    name: '.python-version holds nonsense',
    class: 'internal error as message',
    files: { 'requirements.txt': 'flask\n', 'app.py': 'app = 1\n', '.python-version': 'snake\n' },
    args: ({ project }) => {
      rmSync(join(project, 'package.json'));
      rmSync(join(project, 'index.js'));
      return ['dockerfile', project];
    },
    code: 1,
    line: /\.python-version: "snake" is not a valid Python version/,
  },
  {
    name: 'an empty project',
    class: 'internal error as message',
    args: ({ project }) => {
      rmSync(join(project, 'package.json'));
      rmSync(join(project, 'index.js'));
      return ['dockerfile', project];
    },
    code: 1,
    line: /no app kiln recognises in this directory/,
  },
  {
    name: 'package.json is a FIFO',
    class: 'hang or ignored signal',
    setup: ({ project }) => {
      rmSync(join(project, 'package.json'));
      fifo(join(project, 'package.json'));
    },
    args: dockerfile,
    code: 1,
    line: /^kiln: /,
  },
  // Flags
  {
    name: 'an unknown flag',
    class: 'usage',
    args: ({ project }) => ['pack', project, '--bogus'],
    code: 2,
    line: /^kiln: unknown option '--bogus'$/,
    check: ({ stderr }) => expect(stderr).toContain("unknown option '--bogus'"),
  },
  {
    name: 'an unknown command',
    class: 'usage',
    args: () => ['bulid'],
    code: 2,
    line: /^kiln: unknown command 'bulid'$/,
    check: ({ stderr }) => expect(stderr).toContain('unknown command'),
  },
  {
    name: '--timeout that is not a number',
    class: 'usage',
    args: ({ project }) => ['build', project, '--timeout', 'soon'],
    code: 2,
    line: /^kiln: option '--timeout <minutes>' argument 'soon' is invalid\. expected whole minutes between 5 and 2160\.$/,
    // One line and the way to the options, never the whole help.
    check: ({ stderr }) =>
      expect(stderr).toBe(
        "kiln: option '--timeout <minutes>' argument 'soon' is invalid. expected whole minutes between 5 and 2160.\n  Run `kiln build --help` for its options.\n",
      ),
  },
  {
    name: '--limit 0',
    class: 'usage',
    args: () => ['builds', '--limit', '0'],
    code: 2,
    line: /^kiln: option '--limit <n>' argument '0' is invalid/,
    check: ({ stderr }) => expect(stderr).toContain('between 1 and 100'),
  },
  {
    name: '--arch mips',
    class: 'usage',
    args: ({ project }) => ['build', project, '--arch', 'mips'],
    code: 2,
    line: /--arch mips: expected one of/,
  },
  {
    name: '--registry without --local',
    class: 'usage',
    args: ({ project }) => ['build', project, '--registry', 'localhost:5000/x'],
    code: 2,
    line: /--registry only applies with --local/,
  },
  {
    name: '--async with --local',
    class: 'usage',
    args: ({ project }) => ['build', project, '--async', '--local'],
    code: 2,
    line: /--async does not apply with --local/,
  },
  {
    name: '--env NAME:value never echoes the value',
    class: 'secrets and untrusted output',
    args: ({ project }) => ['build', project, '--env', 'NPM_TOKEN:s3cr3t-value'],
    code: 2,
    line: /--env NPM_TOKEN…: expected KEY=VALUE/,
  },
  {
    name: '--env NAME:value with --json never echoes the value',
    class: 'secrets and untrusted output',
    args: ({ project }) => ['build', project, '--json', '--env', 'NPM_TOKEN:s3cr3t-value'],
    code: 2,
    line: /--env NPM_TOKEN…/,
    check: ({ stdout }) => expect(JSON.parse(stdout).error.message).toMatch(/^--env NPM_TOKEN…/),
  },
  {
    name: '--env "NAME value" never echoes the value',
    class: 'secrets and untrusted output',
    args: ({ project }) => ['build', project, '--env', 'NPM_TOKEN s3cr3t-value'],
    code: 2,
    line: /--env NPM_TOKEN…/,
  },
  {
    name: '--env with a secret and no name',
    class: 'secrets and untrusted output',
    args: ({ project }) => ['build', project, '--env', ':s3cr3t-value'],
    code: 2,
    line: /--env \(empty name\)…/,
  },
  {
    name: '--env PATH',
    class: 'secrets and untrusted output',
    args: ({ project }) => ['build', project, '--env', 'PATH=/tmp/s3cr3t-value'],
    code: 2,
    line: /--env PATH: this name would override the build machine's own PATH/,
  },
  {
    name: '--env LD_PRELOAD',
    class: 'secrets and untrusted output',
    args: ({ project }) => ['build', project, '--env', 'LD_PRELOAD=/tmp/s3cr3t-value.so'],
    code: 2,
    line: /--env LD_PRELOAD: names starting with LD_ are reserved/,
  },
  {
    name: '--env LD_LIBRARY_PATH',
    class: 'secrets and untrusted output',
    args: ({ project }) => ['build', project, '--env', 'LD_LIBRARY_PATH=/tmp'],
    code: 2,
    line: /--env LD_LIBRARY_PATH: names starting with LD_ are reserved/,
  },
  {
    name: '--env DOCKER_HOST',
    class: 'secrets and untrusted output',
    args: ({ project }) => ['build', project, '--env', 'DOCKER_HOST=tcp://evil:2375'],
    code: 2,
    line: /--env DOCKER_HOST: names starting with DOCKER_ are reserved/,
  },
  {
    name: '--env NODE_OPTIONS',
    class: 'secrets and untrusted output',
    args: ({ project }) => ['build', project, '--env', 'NODE_OPTIONS=--require=/tmp/x.js'],
    code: 2,
    line: /--env NODE_OPTIONS: this name would override/,
  },
  {
    name: '--env HOME',
    class: 'secrets and untrusted output',
    args: ({ project }) => ['build', project, '--env', 'HOME=/tmp'],
    code: 2,
    line: /--env HOME: this name would override/,
  },
  {
    name: '--env BASH_ENV',
    class: 'secrets and untrusted output',
    args: ({ project }) => ['build', project, '--env', 'BASH_ENV=/tmp/x'],
    code: 2,
    line: /--env BASH_ENV: this name would override/,
  },
  {
    name: '--env AWS_SECRET_ACCESS_KEY',
    class: 'secrets and untrusted output',
    args: ({ project }) => ['build', project, '--env', 'AWS_SECRET_ACCESS_KEY=s3cr3t-value'],
    code: 2,
    line: /names starting with AWS_ are reserved/,
  },
  {
    name: 'pack has no --verbose, so no hint to use it',
    class: 'internal error as message',
    setup: ({ project }) => mkdirSync(join(project, '.dockerignore')),
    args: pack,
    code: 1,
    line: /\.dockerignore is a directory/,
    check: ({ stderr }) => expect(stderr).not.toContain('--verbose'),
  },
];

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kiln-hostile-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

test.concurrent.each(CASES.map((entry, index) => [`${entry.class}: ${entry.name}`, index] as const))(
  '%s',
  async (_title, index) => {
    const entry = CASES[index]!;
    const base = join(root, String(index));
    const paths: Paths = { project: join(base, 'project'), out: join(base, 'out') };
    const temp = join(base, 'tmp');
    for (const dir of [paths.project, paths.out, temp]) mkdirSync(dir, { recursive: true });
    for (const [path, content] of Object.entries({ ...APP, ...entry.files })) {
      mkdirSync(dirname(join(paths.project, path)), { recursive: true });
      writeFileSync(join(paths.project, path), content);
    }
    entry.setup?.(paths);
    const args = entry.args(paths);
    const before = treeState(paths.project);
    const result = await runCli(args, { HOME: base, TMPDIR: temp, AWS_EC2_METADATA_DISABLED: 'true' });

    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: entry.code,
      stderr: expect.any(String),
    });
    const line = entry.warning
      ? result.stderr
          .split('\n')
          .find((candidate) => candidate.startsWith('kiln: warning:') && entry.line.test(candidate))
      : errorLine(result.stderr);
    expect(line ?? '').toMatch(entry.line);
    expectNoInternals(result.stderr);
    expect(result.stderr).not.toContain('s3cr3t-value');
    expect(result.stdout).not.toContain('s3cr3t-value');
    // Nothing left behind: no temp file, no project file changed.
    expect(readdirSync(temp)).toEqual([]);
    expect(treeState(paths.project)).toEqual(before);
    entry.check?.(result, paths);
  },
);

test('the catalogue covers at least 80 offline cases', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(80);
});
