// Runs the built CLI (bin/kiln.js, dist/) as a user would: `kiln build --local … --json`.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { e2eEnvironment, ROOT } from './environment';
import { registryClientEnv } from './registry';

export interface KilnRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The --json document on stdout (undefined if stdout was not JSON). */
  json: BuildDocument | undefined;
  seconds: number;
}

export interface BuildDocument {
  status?: string;
  imageUri?: string;
  digest?: string | null;
  tags?: string[];
  error?: { message: string; hint: string | null; exitCode: number };
}

/** Variables no e2e build should inherit from the machine running the tests. */
const HOST_ONLY = /^(AWS_|KILN_)/;

export function kiln(args: string[], env: Record<string, string> = {}): Promise<KilnRun> {
  const started = Date.now();
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !HOST_ONLY.test(name)));
  const child = spawn('node', [join(ROOT, 'bin/kiln.js'), ...args], {
    cwd: ROOT,
    // No instance-metadata probing (a link-local address) when no credentials are given. Registry
    // requests carry the build role's credentials: recorded and IAM-checked (./registry.ts).
    env: {
      ...inherited,
      ...e2eEnvironment().env,
      ...registryClientEnv('build'),
      NO_COLOR: '1',
      AWS_EC2_METADATA_DISABLED: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => {
      let json: BuildDocument | undefined;
      try {
        json = JSON.parse(stdout) as BuildDocument;
      } catch {
        json = undefined;
      }
      resolve({ exitCode, stdout, stderr, json, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/**
 * `kiln build --local <dir> --registry <e2e registry>/kiln --json [...extra]`: the stack's repository,
 * the only one the build role may push to.
 */
export function kilnBuildLocal(
  dir: string,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<KilnRun> {
  const registry = `${e2eEnvironment().registry}/kiln`;
  return kiln(['build', '--local', dir, '--registry', registry, '--json', ...extra], env);
}

/** A successful build's document, or an error that shows the build's output. */
export function expectBuilt(run: KilnRun): Required<Pick<BuildDocument, 'imageUri' | 'tags'>> & {
  digest: string;
} {
  if (run.exitCode !== 0 || !run.json?.imageUri || !run.json.digest) {
    throw new Error(`kiln build failed (exit ${run.exitCode}):\n${run.stderr.slice(-6000)}\n${run.stdout}`);
  }
  return { imageUri: run.json.imageUri, tags: run.json.tags ?? [], digest: run.json.digest };
}

/** Tag format `<name>-YYYY-MM-DDTHH-MM-SSZ` plus `-<7-char sha>` when the project is in git. */
export function tagPattern(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped}-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}Z(-[0-9a-f]{7})?$`);
}
