// Dev-time corpus check: runs `kiln dockerfile` over checked-out real apps and compares each
// Dockerfile with the facts a correct one must hold (scripts/corpus/apps.tsv), one verdict per app.
//   npx tsx scripts/corpus/verdict.ts <corpus dir> [--kiln path/to/bin/kiln.js]
// The corpus dir holds one folder per repository, named `<owner>+<name>` (what `git archive` of a
// snapshot gives); the apps' code never enters this repository. docs/real-apps.md records the score.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface App {
  repo: string;
  subfolder: string;
  ecosystem: string;
  /** Facts: substrings the Dockerfile must contain (`a|b` for either, `-` for no check). */
  install: string;
  build: string;
  output: string;
  start: string;
  /** `$PORT` (the app reads PORT, so kiln must set it), a number (EXPOSEd), or `-`. */
  port: string;
  /** The user the app runs as (`deploy`), or `-` (Lambda images bring their own). */
  user: string;
  extra: string;
}

function readApps(file: string): App[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [repo, subfolder, ecosystem, install, build, output, start, port, user, extra] = line.split('\t');
      return { repo, subfolder, ecosystem, install, build, output, start, port, user, extra } as App;
    });
}

function contains(dockerfile: string, fact: string): boolean {
  return fact === '-' || fact.split('|').some((alternative) => dockerfile.includes(alternative));
}

/** The facts the Dockerfile misses, as `name: expected`. */
function missing(app: App, dockerfile: string): string[] {
  const failures: string[] = [];
  const check = (name: string, ok: boolean, expected: string) => {
    if (!ok) failures.push(`${name}: ${expected}`);
  };
  check('install', contains(dockerfile, app.install), app.install);
  check('build', contains(dockerfile, app.build), app.build);
  check('output', contains(dockerfile, app.output), app.output);
  const cmdLine = dockerfile.split('\n').find((line) => line.startsWith('CMD ')) ?? 'CMD []';
  const cmd = (JSON.parse(cmdLine.slice(4)) as string[]).join(' ');
  check('start', contains(cmd, app.start), app.start);
  if (app.port === '$PORT') check('port', /^ENV PORT=\d+$/m.test(dockerfile), 'PORT set for the app');
  else if (app.port !== '-') check('port', dockerfile.includes(`EXPOSE ${app.port}`), `EXPOSE ${app.port}`);
  if (app.user !== '-') check('user', dockerfile.includes(`USER ${app.user}`), `USER ${app.user}`);
  check('contains', contains(dockerfile, app.extra), app.extra);
  return failures;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const kilnIndex = args.indexOf('--kiln');
  const kiln = kilnIndex === -1 ? join(__dirname, '..', '..', 'bin', 'kiln.js') : args[kilnIndex + 1]!;
  const corpus = args.find(
    (arg, index) => !arg.startsWith('--') && (kilnIndex === -1 || index !== kilnIndex + 1),
  );
  if (!corpus) throw new Error('usage: verdict.ts <corpus dir> [--kiln bin/kiln.js]');
  const apps = readApps(join(__dirname, 'apps.tsv'));
  let correct = 0;
  for (const app of apps) {
    const dir = join(corpus, app.repo.replace('/', '+'), app.subfolder);
    const name = `${app.repo}${app.subfolder === '.' ? '' : ` (${app.subfolder})`}`;
    let verdict: string;
    try {
      const { stdout } = await run('node', [kiln, 'dockerfile', dir], { maxBuffer: 10 * 1024 * 1024 });
      const failures = missing(app, stdout);
      if (failures.length === 0) correct++;
      verdict = failures.length === 0 ? 'correct' : `wrong    ${failures.join('; ')}`;
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      verdict = `refused  ${stderr.split('\n').find((line) => line.startsWith('kiln:')) ?? stderr.split('\n')[0]}`;
    }
    console.log(`${name.padEnd(70)} ${app.ecosystem.padEnd(7)} ${verdict}`);
  }
  console.log(`\nscore: ${correct}/${apps.length} correct (${Math.round((100 * correct) / apps.length)}%)`);
}

main().catch((error: unknown) => {
  console.error(String(error));
  process.exit(1);
});
