import { kilnConfigSchema } from '../../../../contract/config-schema';
import { KilnError } from '../../../../contract/errors';
import { snapshotFromFiles } from '../../../../runner/detect/snapshot';
import type { CredentialDelivery } from '../../../../runner/dockerfile/credentials';
import { parseDockerfile } from '../../../../runner/dockerfile/parse';
import { generateFromSnapshot, resolveBuildMode } from '../../../../runner/generate';
import { stagesOf } from './structure';

const app = {
  'package.json': JSON.stringify({ scripts: { start: 'node server.js' } }),
  'package-lock.json': '{}',
  '.node-version': '22',
};
const generate = (
  config: object,
  files: Record<string, string> = app,
  credentials: CredentialDelivery = 'secret',
) => generateFromSnapshot(snapshotFromFiles(files), kilnConfigSchema.parse(config), { credentials });
const stage = (dockerfile: string, name: string) =>
  stagesOf(dockerfile)
    .stages.find((s) => s.name === name)!
    .instructions.map((i) => `${i.keyword} ${i.args}`);

describe('Dockerfile options', () => {
  it('installs only production Node dependencies, with no prune, when the app has no build step', () => {
    const { dockerfile } = generate({});
    expect(stage(dockerfile, 'deps')).toContain('RUN npm ci --omit=dev');
    expect(dockerfile).not.toContain('prune');
  });

  it('deploys Node dependencies as a layer of their own, and the source from the context, without a build step', () => {
    expect(stage(generate({}).dockerfile, 'deployment')).toEqual(
      expect.arrayContaining(['COPY --from=deps /app /app', 'COPY . .']),
    );
  });

  const withBuild = {
    ...app,
    'package.json': JSON.stringify({ scripts: { build: 'tsc', start: 'node dist/server.js' } }),
  };

  it('with a build step, deploys the pruned dependencies and the built app (without node_modules) as two layers', () => {
    const { dockerfile } = generate({}, withBuild);
    expect(stage(dockerfile, 'deployment')).toEqual(
      expect.arrayContaining(['COPY --from=prod-deps /app /app', 'COPY --from=build /tmp/kiln-app /app']),
    );
    expect(stage(dockerfile, 'deployment').join('\n')).not.toContain('COPY . .');
  });

  it('prunes dev dependencies in a stage from the install alone, not after the build', () => {
    const { dockerfile } = generate({}, withBuild, 'build-args');
    expect(stage(dockerfile, 'deps')).toContain('RUN npm ci --include=dev');
    expect(stagesOf(dockerfile).stages.find((s) => s.name === 'prod-deps')!.from).toBe('deps');
    expect(stage(dockerfile, 'prod-deps')).toEqual(['RUN npm prune --omit=dev']);
    expect(stage(dockerfile, 'build').join('\n')).not.toContain('npm prune');
  });

  it('yarn berry (no prune) deploys the install stage itself as the dependency layer', () => {
    const berry = {
      'package.json': JSON.stringify({
        packageManager: 'yarn@4.5.3',
        scripts: { build: 'tsc', start: 'node dist/server.js' },
      }),
      'yarn.lock': '__metadata:\n  version: 8\n',
      '.node-version': '22',
    };
    const { dockerfile } = generate({}, berry);
    expect(stagesOf(dockerfile).stages.map((s) => s.name)).not.toContain('prod-deps');
    expect(stage(dockerfile, 'deployment')).toEqual(
      expect.arrayContaining(['COPY --from=deps /app /app', 'COPY --from=build /tmp/kiln-app /app']),
    );
  });

  it('passes the build-stage args and secrets to the prune, as to the install', () => {
    const { dockerfile } = generate(
      { dockerfile: { buildArgs: { buildStage: { NPM_TOKEN: null } } } },
      withBuild,
      'build-args',
    );
    expect(stage(dockerfile, 'prod-deps')).toEqual(['ARG NPM_TOKEN', 'RUN npm prune --omit=dev']);
  });

  it('deploys the whole app directory from the build stage, pruned there, when a build-stage hook may change it', () => {
    const hook = { '.kiln/stage/after_build': 'RUN node generate-routes.js\n' };
    for (const files of [
      { ...app, ...hook },
      { ...withBuild, ...hook },
    ]) {
      const { dockerfile } = generate({}, files);
      const deployment = stage(dockerfile, 'deployment');
      expect(deployment).toContain('COPY --from=build /app /app');
      expect(deployment).not.toContain('COPY . .');
      expect(stagesOf(dockerfile).stages.map((s) => s.name)).not.toContain('prod-deps');
    }
    const build = stage(generate({}, { ...withBuild, ...hook }, 'build-args').dockerfile, 'build');
    expect(build.indexOf('RUN npm run build')).toBeLessThan(build.indexOf('RUN npm prune --omit=dev'));
  });

  describe('AWS credentials', () => {
    const mount = 'RUN --mount=type=secret,id=aws,target=/run/secrets/aws-credentials';

    it('BuildKit: a secret file mounted into every RUN of the build stage, after the dependency install', () => {
      const { dockerfile, credentials } = generate({}, withBuild, 'secret');
      expect(stage(dockerfile, 'deps')).toContain('RUN npm ci --include=dev');
      expect(stage(dockerfile, 'deps').join('\n')).not.toContain('AWS_');
      expect(stage(dockerfile, 'build')).toEqual([
        'ARG AWS_REGION',
        'ARG AWS_DEFAULT_REGION',
        'ENV AWS_SHARED_CREDENTIALS_FILE=/run/secrets/aws-credentials',
        'COPY . .',
        `${mount} touch /tmp/kiln-build-started && npm run build`,
        expect.stringMatching(/^RUN --mount=type=secret,id=aws,\S+ mkdir \/tmp\/kiln-app/),
      ]);
      expect(stage(dockerfile, 'prod-deps').join('\n')).not.toContain('AWS_');
      // Secret values never come as args: no ARG names a key.
      expect(dockerfile).not.toContain('ARG AWS_SECRET_ACCESS_KEY');
      expect(stage(dockerfile, 'deployment').join('\n')).not.toContain('AWS_');
      expect(credentials).toMatch(/BuildKit secret .* app build .*not the dependency install/);
    });

    it('classic builder: the credential args declared at the top of the build stage, after the install', () => {
      const { dockerfile, credentials } = generate({}, withBuild, 'build-args');
      expect(stage(dockerfile, 'deps').join('\n')).not.toContain('AWS_');
      const build = stage(dockerfile, 'build');
      expect(build.slice(0, 5)).toEqual([
        'ARG AWS_ACCESS_KEY_ID',
        'ARG AWS_SECRET_ACCESS_KEY',
        'ARG AWS_SESSION_TOKEN',
        'ARG AWS_REGION',
        'ARG AWS_DEFAULT_REGION',
      ]);
      expect(build).toContain('RUN touch /tmp/kiln-build-started && npm run build');
      expect(stage(dockerfile, 'deployment').join('\n')).not.toContain('AWS_');
      expect(credentials).toMatch(/build args .* app build/);
    });

    it('awsCredsForInstall: the install gets them too (deps and build stages), never the deployment stage', () => {
      const config = { dockerfile: { buildArgs: { awsCredsForInstall: true } } };
      const classic = generate(config, withBuild, 'build-args');
      const deps = stage(classic.dockerfile, 'deps');
      expect(deps.indexOf('ARG AWS_SESSION_TOKEN')).toBeLessThan(deps.indexOf('RUN npm ci --include=dev'));
      expect(stage(classic.dockerfile, 'build')).toContain('ARG AWS_SESSION_TOKEN');
      expect(classic.credentials).toMatch(/rerun the install on every build/);
      const buildkit = generate(config, withBuild, 'secret');
      expect(stage(buildkit.dockerfile, 'deps')).toContain(`${mount} npm ci --include=dev`);
      expect(stage(buildkit.dockerfile, 'deployment').join('\n')).not.toContain('AWS_');
    });

    it('none at all when enableAwsCreds is false', () => {
      for (const delivery of ['secret', 'build-args'] as const) {
        const generated = generate(
          { dockerfile: { buildArgs: { enableAwsCreds: false } } },
          withBuild,
          delivery,
        );
        expect(generated.dockerfile).not.toContain('AWS_');
        expect(generated.dockerfile).not.toContain('--mount');
        expect(generated.credentials).toMatch(/not passed/);
      }
    });
  });

  it('places build args at the top, in the build stage and in the deployment stage', () => {
    const { dockerfile } = generate({
      dockerfile: {
        buildArgs: { atTop: { BASE: '1' }, buildStage: { TOKEN: null }, deploymentStage: { VERSION: 'dev' } },
      },
    });
    expect(stagesOf(dockerfile).preamble.map((i) => i.args)).toEqual(['BASE="1"']);
    expect(stage(dockerfile, 'deps')).toContain('ARG TOKEN');
    expect(stage(dockerfile, 'deployment')).toContain('ARG VERSION="dev"');
  });

  it('installs apt packages per stage: allStages in base, then build and deployment lists', () => {
    const { dockerfile } = generate({
      dockerfile: {
        apt: { packages: { allStages: ['curl'], buildStage: ['make'], deploymentStage: ['tini'] } },
      },
    });
    expect(stage(dockerfile, 'base').join('\n')).toContain('apt-get install --no-install-recommends -y curl');
    expect(stage(dockerfile, 'deps').join('\n')).toContain('-y make');
    expect(stage(dockerfile, 'deployment').join('\n')).toContain('-y tini');
    expect(dockerfile).toContain('rm -rf /var/lib/apt/lists/* /var/cache/apt/*');
  });

  it('warns that yum packages are ignored on a Debian base', () => {
    expect(generate({ dockerfile: { yum: { packages: { allStages: ['tar'] } } } }).warnings).toContain(
      'dockerfile.yum.packages is ignored: node:22-bookworm-slim uses apt',
    );
  });

  it('copies copyForInstall folders with the lockfiles, before the install', () => {
    const build = stage(generate({ dockerfile: { copyForInstall: ['./vendor/gems'] } }).dockerfile, 'deps');
    expect(build.indexOf('COPY vendor/gems ./vendor/gems')).toBeLessThan(
      build.indexOf('RUN npm ci --omit=dev'),
    );
    expect(build.indexOf('COPY package.json package-lock.json ./')).toBeLessThan(
      build.indexOf('COPY vendor/gems ./vendor/gems'),
    );
  });

  it('refuses copyForInstall paths outside the project', () => {
    expect(() => generate({ dockerfile: { copyForInstall: ['../shared'] } })).toThrow(
      'dockerfile.copyForInstall[0] "../shared" is not a path inside the project',
    );
    expect(() => generate({ dockerfile: { copyForInstall: ['/etc'] } })).toThrow(KilnError);
  });

  it('runs a compound shell command without exec', () => {
    expect(generate({ startCommand: 'bin/migrate && bin/serve' }).dockerfile).toContain(
      'CMD ["/bin/sh", "-c", "bin/migrate && bin/serve"]',
    );
  });

  it('drops the deploy user with addDeployUser: false', () => {
    const { dockerfile } = generate({ dockerfile: { addDeployUser: false } });
    expect(dockerfile).not.toMatch(/useradd|USER /);
  });

  it('overrides the base image by full name or by parts', () => {
    expect(generate({ dockerfile: { baseImage: 'node:22.11-bookworm' } }).dockerfile).toContain(
      'FROM node:22.11-bookworm AS base',
    );
    expect(generate({ dockerfile: { baseImage: { tag: '20', variant: 'slim' } } }).dockerfile).toContain(
      'FROM node:20-slim AS base',
    );
    expect(generate({ dockerfile: { baseImage: { name: 'mirror.example/node' } } }).dockerfile).toContain(
      'FROM mirror.example/node:22-bookworm-slim AS base',
    );
  });

  it('refuses Alpine base images (no apk support)', () => {
    expect(() => generate({ dockerfile: { baseImage: 'node:22-alpine' } })).toThrow(KilnError);
  });

  it('adds the Lambda Web Adapter to web apps built with lambda: true', () => {
    expect(stage(generate({ dockerfile: { lambda: true } }).dockerfile, 'deployment')).toContain(
      'COPY --from=public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1 /lambda-adapter /opt/extensions/lambda-adapter',
    );
  });

  it('warns when the project has a Dockerfile that managed mode ignores', () => {
    expect(generate({}, { ...app, Dockerfile: 'FROM x' }).warnings).toContain(
      'the project has a Dockerfile, which kiln ignores; set "dockerfile": { "custom": true } to build with it',
    );
  });

  it('generates a .dockerignore that keeps secrets and kiln files out, then the project lines', () => {
    const { dockerignore } = generate({}, { ...app, '.dockerignore': '!keep.env\n' });
    expect(dockerignore.split('\n')).toEqual(
      expect.arrayContaining(['.git', '.env', '.env.*', 'node_modules', '.kiln']),
    );
    expect(dockerignore.trimEnd().endsWith('!keep.env')).toBe(true);
  });

  it('runs a shell start command through sh with exec, so the app gets signals', () => {
    expect(generate({ startCommand: 'node a.js --port $PORT' }).dockerfile).toMatch(
      /CMD \["\/bin\/sh", "-c", "exec node a.js --port \$PORT"\]\n$/,
    );
  });

  it('uses no BuildKit-only syntax, so the classic builder builds it', () => {
    const { dockerfile } = generate({});
    expect(dockerfile).not.toMatch(/--mount|<<|^# syntax=/m);
    expect(parseDockerfile(dockerfile).problems).toEqual([]);
  });
});

describe('resolveBuildMode', () => {
  const config = (input: object) => kilnConfigSchema.parse(input);
  const files = new Set(['Dockerfile', 'docker/prod.Dockerfile', 'package.json']);

  it('KILN_DOCKER_IMAGE wins, then docker.image', () => {
    expect(
      resolveBuildMode(config({ docker: { image: 'a:1' } }), { KILN_DOCKER_IMAGE: 'b:2' }, files),
    ).toEqual({
      mode: 'image',
      image: 'b:2',
      reason: 'prebuilt image from KILN_DOCKER_IMAGE',
    });
    expect(resolveBuildMode(config({ docker: { image: 'a:1' } }), {}, files)).toMatchObject({
      mode: 'image',
      image: 'a:1',
    });
  });

  it('dockerfile.custom true uses ./Dockerfile; a string uses that path', () => {
    expect(resolveBuildMode(config({ dockerfile: { custom: true } }), {}, files)).toMatchObject({
      mode: 'custom',
      dockerfile: 'Dockerfile',
    });
    expect(
      resolveBuildMode(config({ dockerfile: { custom: './docker/prod.Dockerfile' } }), {}, files),
    ).toMatchObject({
      mode: 'custom',
      dockerfile: 'docker/prod.Dockerfile',
    });
  });

  it('refuses a custom Dockerfile that does not exist', () => {
    expect(() => resolveBuildMode(config({ dockerfile: { custom: 'nope.Dockerfile' } }), {}, files)).toThrow(
      'dockerfile.custom points to nope.Dockerfile, which does not exist in the project',
    );
  });

  it('does not find a custom Dockerfile outside the project', () => {
    expect(() => resolveBuildMode(config({ dockerfile: { custom: '../Dockerfile' } }), {}, files)).toThrow(
      'dockerfile.custom points to ../Dockerfile, which does not exist in the project',
    );
  });

  it('is managed otherwise, even when a Dockerfile exists', () => {
    expect(resolveBuildMode(config({}), {}, files)).toEqual({
      mode: 'managed',
      reason: 'managed Dockerfile generated by kiln',
    });
  });
});

describe('bun', () => {
  const bunApp = {
    'package.json': JSON.stringify({ scripts: { start: 'bun run server.ts' } }),
    'bun.lock': '{}',
  };
  it('runs on the official Node image with bun installed from npm in the base stage, which the deployment shares', () => {
    const { dockerfile } = generate({}, bunApp);
    expect(dockerfile).toMatch(/^FROM node:\d+-bookworm-slim AS base$/m);
    expect(stage(dockerfile, 'base')).toContain('RUN npm install -g --force bun@1');
    expect(stage(dockerfile, 'deps')).toContain('RUN bun install --frozen-lockfile --production');
    expect(dockerfile.match(/npm install -g/g)).toHaveLength(1);
    expect(dockerfile).not.toMatch(/oven\/bun/);
  });

  it('installs bun in the assets stage of an app whose assets build with bun', () => {
    const site = {
      'package.json': JSON.stringify({ scripts: { build: 'vite build' }, devDependencies: { vite: '5' } }),
      'bun.lock': '{}',
      'index.html': '',
    };
    const { dockerfile } = generate({}, site);
    expect(dockerfile).toMatch(/RUN npm install -g --force bun@1 \\\n\s+&& bun install --frozen-lockfile/);
    expect(dockerfile).not.toMatch(/oven\/bun/);
  });
});
