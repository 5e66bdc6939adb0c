// Generates the pack benchmark's repository once, deterministically: about 20k files and 300 MB before
// ignores, committed into its own git repo so `git archive HEAD` sees exactly the tracked set.
// Layout: tracked source (text with source-like compressibility) and already-compressed assets; gitignored
// node_modules and build output; a nested .gitignore. Same seed → same bytes, so runs stay comparable.
import { execFileSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Bump when the layout below changes, so a stale cached repository is regenerated. */
const LAYOUT_VERSION = 1;

interface Part {
  dir: string;
  files: number;
  /** Mean file size in bytes; sizes vary from half to one and a half times this. */
  meanBytes: number;
  kind: 'source' | 'minified' | 'compressed';
}

const PARTS: Part[] = [
  { dir: 'src', files: 9_000, meanBytes: 7_000, kind: 'source' },
  { dir: 'assets', files: 600, meanBytes: 100_000, kind: 'compressed' },
  { dir: 'node_modules', files: 8_500, meanBytes: 8_000, kind: 'source' },
  { dir: 'node_modules/.bin-assets', files: 500, meanBytes: 60_000, kind: 'compressed' },
  { dir: 'dist', files: 1_400, meanBytes: 50_000, kind: 'minified' },
  { dir: 'src/generated', files: 100, meanBytes: 20_000, kind: 'minified' },
];

const GITIGNORE = 'node_modules/\ndist/\n*.log\n';
const NESTED_GITIGNORE = { path: 'src/.gitignore', text: 'generated/\n' };

/** mulberry32: small, fast and deterministic; good enough to pick words and sizes. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Incompressible, deterministic bytes (AES-CTR keystream), standing in for images and gzip files. */
function randomBytes(seed: string, size: number): Buffer {
  const key = createHash('sha256').update(seed).digest();
  return createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

function makeVocabulary(random: () => number): string[] {
  const syllables = ['get', 'set', 'user', 'data', 'item', 'list', 'map', 'load', 'save', 'to', 'from', 'by'];
  const more = ['id', 'name', 'value', 'config', 'build', 'cache', 'key', 'path', 'node', 'tree', 'state'];
  const all = [...syllables, ...more];
  const words: string[] = [];
  for (let i = 0; i < 1500; i++) {
    const n = 1 + Math.floor(random() * 3);
    let word = '';
    for (let j = 0; j < n; j++) {
      const part = all[Math.floor(random() * all.length)]!;
      word += j === 0 ? part : part[0]!.toUpperCase() + part.slice(1);
    }
    words.push(word + (random() < 0.2 ? String(Math.floor(random() * 100)) : ''));
  }
  return words;
}

/** Source-like text: indented lines from a handful of templates over a shared vocabulary (~4-5x deflate). */
function sourceText(random: () => number, words: string[], size: number, minified: boolean): string {
  const word = () => words[Math.floor(random() * words.length)]!;
  const templates = [
    () => `const ${word()} = ${word()}(${word()}, ${Math.floor(random() * 1000)});`,
    () => `if (${word()}.${word()} === '${word()}') {`,
    () => `return ${word()}.${word()}(${word()});`,
    () => `// ${word()} ${word()} ${word()} when ${word()} is ${word()}`,
    () => `export function ${word()}(${word()}: ${word()}): ${word()} {`,
    () => `import { ${word()}, ${word()} } from './${word()}/${word()}';`,
    () => `${word()}.${word()} = await ${word()}.${word()}({ ${word()}, ${word()}: ${random() < 0.5} });`,
    () => '}',
  ];
  const parts: string[] = [];
  let length = 0;
  let depth = 0;
  while (length < size) {
    const line = templates[Math.floor(random() * templates.length)]!();
    if (line === '}') depth = Math.max(0, depth - 1);
    const text = minified ? line : `${'  '.repeat(depth)}${line}\n`;
    if (line.endsWith('{')) depth = Math.min(6, depth + 1);
    parts.push(text);
    length += text.length;
  }
  return parts.join('').slice(0, size);
}

const EXTENSIONS = {
  source: ['.ts', '.js', '.json', '.css', '.md'],
  minified: ['.js', '.map'],
  compressed: ['.png', '.jpg', '.gz'],
} as const;

function writeRepository(root: string): void {
  const random = prng(20_261_123);
  const words = makeVocabulary(random);
  for (const part of PARTS) {
    for (let i = 0; i < part.files; i++) {
      // Spread files over nested folders, 50 per leaf folder, like a real tree.
      const folder = `${part.dir}/m${Math.floor(i / 500)}/d${Math.floor(i / 50) % 10}`;
      const extensions = EXTENSIONS[part.kind];
      const name = `${words[i % words.length]}-${i}${extensions[i % extensions.length]}`;
      const size = Math.round(part.meanBytes * (0.5 + random()));
      const path = join(root, folder, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(
        path,
        part.kind === 'compressed'
          ? randomBytes(`${folder}/${name}`, size)
          : sourceText(random, words, size, part.kind === 'minified'),
      );
    }
  }
  writeFileSync(join(root, '.gitignore'), GITIGNORE);
  writeFileSync(join(root, NESTED_GITIGNORE.path), NESTED_GITIGNORE.text);
  writeFileSync(join(root, 'package.json'), `${JSON.stringify({ name: 'bench-repo', version: '1.0.0' })}\n`);
  writeFileSync(join(root, 'build.log'), sourceText(random, words, 100_000, false));
}

function commit(root: string): void {
  const fixedDate = '2026-01-01T00:00:00Z';
  const env = { ...process.env, GIT_AUTHOR_DATE: fixedDate, GIT_COMMITTER_DATE: fixedDate };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=kiln bench', '-c', 'user.email=bench@localhost', 'commit', '-q', '-m', 'generated');
}

/** Returns the generated repository's path, generating it first when missing or stale. */
export function ensureBenchRepository(workDir: string): string {
  const root = join(workDir, 'repo');
  const stamp = join(workDir, 'repo.stamp');
  const expected = JSON.stringify({ LAYOUT_VERSION, PARTS, GITIGNORE, NESTED_GITIGNORE });
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === expected) return root;
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  process.stderr.write(`bench: generating the pack repository in ${root} (once)...\n`);
  writeRepository(root);
  commit(root);
  writeFileSync(stamp, expected);
  return root;
}
