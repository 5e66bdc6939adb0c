import { type BuildInput, inputKey, inputTag } from '../../../../lib/aws/built-image';

const input: BuildInput = {
  archiveSha256: 'ab'.repeat(32),
  arch: 'x86_64',
  buildArgs: { NPM_TOKEN: 'one', API_URL: 'https://api.example' },
};

describe('build input key', () => {
  it('is stable: the same input gives the same key, whatever the order of the build args', () => {
    expect(inputKey(input)).toBe(inputKey({ ...input }));
    expect(inputKey({ ...input, buildArgs: { API_URL: 'https://api.example', NPM_TOKEN: 'one' } })).toBe(
      inputKey(input),
    );
    expect(inputKey(input)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['the archive (files, config, hooks, runner)', { archiveSha256: 'cd'.repeat(32) }],
    ['the architecture', { arch: 'arm64' }],
    ['a build-arg value', { buildArgs: { NPM_TOKEN: 'two', API_URL: 'https://api.example' } }],
    ['a build-arg name', { buildArgs: { NPM_TOKEN2: 'one', API_URL: 'https://api.example' } }],
    ['a build arg more', { buildArgs: { ...input.buildArgs, DEBUG: '1' } }],
    ['a build arg less', { buildArgs: { NPM_TOKEN: 'one' } }],
  ])('moves when %s changes', (_what, change) => {
    expect(inputKey({ ...input, ...change })).not.toBe(inputKey(input));
  });

  it('gives a valid docker tag that holds no build-arg value', () => {
    const tag = inputTag(inputKey(input));
    expect(tag).toMatch(/^kiln-input-[0-9a-f]{40}$/);
    expect(tag).not.toContain('one');
  });
});
