import { join } from 'node:path';
import { kilnConfigSchema } from '../../../../contract/config-schema';
import { KilnError } from '../../../../contract/errors';
import { loadConfig } from '../../../../lib/config/load';
import { readProjectSnapshot, snapshotFromFiles } from '../../../../runner/detect/snapshot';
import { generateFromSnapshot } from '../../../../runner/generate';
import { indexOfMarker, stagesOf } from './structure';

const app = {
  'package.json': JSON.stringify({ scripts: { start: 'node server.js' } }),
  'package-lock.json': '{}',
};

function generate(files: Record<string, string>, config: object = {}) {
  return generateFromSnapshot(snapshotFromFiles({ ...app, ...files }), kilnConfigSchema.parse(config));
}

function errorOf(files: Record<string, string>, config: object = {}): KilnError {
  try {
    generate(files, config);
  } catch (error) {
    expect(error).toBeInstanceOf(KilnError);
    return error as KilnError;
  }
  throw new Error('expected a KilnError');
}

describe('stage hooks', () => {
  it('places each hook at its point of the stage (hooks fixture)', async () => {
    const dir = join(__dirname, '..', '..', '..', 'fixtures', 'hooks');
    const { config } = await loadConfig(dir);
    const { stages } = stagesOf(generateFromSnapshot(await readProjectSnapshot(dir), config).dockerfile);
    const deps = stages.find((stage) => stage.name === 'deps')!;
    const build = stages.find((stage) => stage.name === 'build')!;
    const deployment = stages.find((stage) => stage.name === 'deployment')!;

    // before_build: after the build args and packages, before the lockfiles are copied; config first, then the file.
    const inline = indexOfMarker(deps, 'inline-before-build');
    const file = indexOfMarker(deps, 'before build');
    const lastArg = deps.instructions.map((i) => i.keyword).lastIndexOf('ARG');
    expect(lastArg).toBeLessThan(inline);
    expect(inline).toBeLessThan(file);
    expect(file).toBeLessThan(indexOfMarker(deps, 'package-lock.json'));
    // after_build: the last instruction of the build stage.
    expect(indexOfMarker(build, 'test -f server.js')).toBe(build.instructions.length - 1);
    // before_deployment: before the app is copied in.
    expect(indexOfMarker(deployment, 'APP_FLAVOUR')).toBeLessThan(indexOfMarker(deployment, '--from=build'));
    // after_deployment: after the deploy user, before ENV PORT / USER / EXPOSE / CMD.
    const label = indexOfMarker(deployment, 'org.opencontainers.image.source');
    expect(label).toBeGreaterThan(indexOfMarker(deployment, 'useradd'));
    expect(label).toBeGreaterThan(indexOfMarker(deployment, '--from=build'));
    // The deploy user exists before the app is copied, so a source change reuses that layer.
    expect(indexOfMarker(deployment, 'useradd')).toBeLessThan(indexOfMarker(deployment, '--from=build'));
    expect(deployment.instructions.slice(label + 1).map((i) => i.keyword)).toEqual([
      'ENV',
      'USER',
      'EXPOSE',
      'CMD',
    ]);
  });

  it('inserts hook files verbatim, comments and continuations included', () => {
    const hook = '# warm the cache\nRUN echo one \\\n    && echo two\n';
    expect(generate({ '.kiln/stage/before_build': hook }).dockerfile).toContain(hook);
  });

  it('mounts the AWS credentials secret into the RUN instructions of an after_build hook, text kept', () => {
    const hook = '# upload\nENV A=1\nrun aws s3 cp \\\n    out s3://bucket/\nRUN echo done\n';
    const mount = '--mount=type=secret,id=aws,target=/run/secrets/aws-credentials';
    expect(generate({ '.kiln/stage/after_build': hook }).dockerfile).toContain(
      `# upload\nENV A=1\nrun ${mount} aws s3 cp \\\n    out s3://bucket/\nRUN ${mount} echo done\n`,
    );
  });

  it('rejects a hook file line that is not an instruction, with file:line', () => {
    const error = errorOf({ '.kiln/stage/before_deployment': 'RUN ok\n\napt-get install -y curl\n' });
    expect(error.message).toBe('.kiln/stage/before_deployment:3: "apt-get" is not a Dockerfile instruction');
    expect(error.hint).toMatch(/^Stage hooks hold Dockerfile instructions/);
  });

  it('rejects a malformed instruction and a FROM in a hook', () => {
    expect(errorOf({ '.kiln/stage/before_build': 'COPY onlyone\n' }).message).toBe(
      '.kiln/stage/before_build:1: malformed COPY: expected COPY <source>... <destination>',
    );
    expect(errorOf({ '.kiln/stage/after_build': 'RUN a\nFROM alpine\n' }).message).toBe(
      '.kiln/stage/after_build:2: FROM is not allowed in a stage hook (it would start a new stage)',
    );
  });

  it('takes an ARG of several names, as Docker does, and still rejects one that starts with no name', () => {
    expect(errorOf({ '.kiln/stage/before_build': 'ARG 1BAD\n' }).message).toBe(
      '.kiln/stage/before_build:1: malformed ARG: expected ARG <name>[=<default>]...',
    );
    expect(() => generate({ '.kiln/stage/before_build': 'ARG A B=1\n' }, {})).not.toThrow();
  });

  it('validates inline config hooks, naming the key and line', () => {
    const error = errorOf({}, { dockerfile: { hooks: { afterDeployment: ['LABEL a=b', 'ENV'] } } });
    expect(error.message).toBe('kiln.config dockerfile.hooks.afterDeployment[1] line 1: ENV needs arguments');
  });
});
