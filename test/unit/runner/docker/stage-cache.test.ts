import { cacheRefPrefix, planStageCache } from '../../../../runner/docker/stage-cache';

const PREFIX = cacheRefPrefix('reg.example/kiln', 'shop', 'x86_64');

describe('per-stage registry cache', () => {
  it('one cache ref prefix per project and architecture', () => {
    expect(PREFIX).toBe('reg.example/kiln:cache-shop-x86_64');
    expect(cacheRefPrefix('reg.example/kiln', 'shop', 'arm64')).not.toBe(PREFIX);
  });

  it('caches the deps stage (the install) and the final image; base is inside deps already', () => {
    const dockerfile = [
      'FROM node:22 AS base',
      'WORKDIR /app',
      'FROM base AS deps',
      'RUN npm ci',
      'FROM deps AS build',
      'ARG AWS_SECRET_ACCESS_KEY',
      'RUN npm run build',
      'FROM base AS deployment',
      'COPY --from=build /app /app',
    ].join('\n');
    expect(planStageCache(dockerfile, PREFIX)).toEqual({
      stages: [{ name: 'deps', ref: `${PREFIX}-deps` }],
      finalRef: `${PREFIX}-final`,
      refs: [`${PREFIX}-deps`, `${PREFIX}-final`],
    });
  });

  it('never pushes a stage that declares an ARG: its history would hold the value', () => {
    const dockerfile = [
      'FROM node:22 AS deps',
      'ARG NPM_TOKEN',
      'RUN npm ci',
      'FROM deps AS build',
      'RUN x',
      'FROM node:22',
      'COPY --from=build /a /a',
    ].join('\n');
    expect(planStageCache(dockerfile, PREFIX).stages).toEqual([{ name: 'build', ref: `${PREFIX}-build` }]);
  });

  it('caches a stage whose ARGs are all recordable (the region, --env names): the generated build stage beside prod-deps', () => {
    const dockerfile = [
      'FROM node:22 AS base',
      'FROM base AS deps',
      'RUN npm ci',
      'FROM deps AS prod-deps',
      'RUN npm prune --omit=dev',
      'FROM deps AS build',
      'ARG AWS_REGION',
      'ARG AWS_DEFAULT_REGION',
      'ARG FEATURE_FLAG',
      'RUN npm run build',
      'FROM base AS deployment',
      'COPY --from=prod-deps /app /app',
      'COPY --from=build /tmp/kiln-app /app',
    ].join('\n');
    const recordable = new Set(['AWS_REGION', 'AWS_DEFAULT_REGION', 'FEATURE_FLAG']);
    expect(planStageCache(dockerfile, PREFIX, recordable).stages.map((stage) => stage.name)).toEqual([
      'prod-deps',
      'build',
    ]);
    // Without FEATURE_FLAG among them (a value that must not be pushed), the build stage is not.
    expect(
      planStageCache(dockerfile, PREFIX, new Set(['AWS_REGION', 'AWS_DEFAULT_REGION'])).stages.map(
        (stage) => stage.name,
      ),
    ).toEqual(['prod-deps']);
  });

  it('an ARG instruction declaring several names is recordable only if every one is', () => {
    const dockerfile = ['FROM node:22 AS tools', 'ARG AWS_REGION NPM_TOKEN=x', 'RUN x', 'FROM node:22'].join(
      '\n',
    );
    expect(planStageCache(dockerfile, PREFIX, new Set(['AWS_REGION'])).stages).toEqual([]);
    expect(planStageCache(dockerfile, PREFIX, new Set(['AWS_REGION', 'NPM_TOKEN'])).stages).toEqual([
      { name: 'tools', ref: `${PREFIX}-tools` },
    ]);
  });

  it('a Dockerfile of one stage: only the final image', () => {
    expect(planStageCache('FROM node:22\nRUN npm ci\n', PREFIX).stages).toEqual([]);
  });
});
