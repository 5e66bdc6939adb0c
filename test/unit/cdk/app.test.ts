// cdk/app.ts as `cdk synth` runs it: a child process that gets its context from CDK_CONTEXT_JSON.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '../../..');
const tsx = join(root, 'node_modules/.bin/tsx');

async function runApp(context: Record<string, string>, outdir: string) {
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, ['cdk/app.ts'], {
      cwd: root,
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('cdk/app.ts', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'kiln-cdk-'));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('synthesizes the kiln stack, passing its own cdk-nag check, and rejects bad context without a stack trace', async () => {
    const [good, bad] = await Promise.all([
      runApp({ 'kiln:architectures': 'x86_64,arm64' }, join(outdir, 'good')),
      runApp({ 'kiln:computeType': 'HUGE' }, join(outdir, 'bad')),
    ]);

    expect(good).toMatchObject({ code: 0, stderr: '' });
    const template = JSON.parse(readFileSync(join(outdir, 'good', 'kiln.template.json'), 'utf8'));
    expect(
      Object.values(template.Resources).filter(
        (r) => (r as { Type: string }).Type === 'AWS::CodeBuild::Project',
      ),
    ).toHaveLength(2);

    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('kiln: Invalid CDK context kiln:computeType="HUGE"');
    expect(bad.stderr).toContain('BUILD_GENERAL1_SMALL, BUILD_GENERAL1_MEDIUM');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
