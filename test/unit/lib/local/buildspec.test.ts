import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXPORTED_VARIABLES, OUTPUTS_FILE, RUNNER_FILE } from '../../../../contract/description';
import { parseBuildspec } from '../../../../lib/local/buildspec';

describe("kiln's buildspec.yml", () => {
  it('runs the shipped runner, sources its outputs and exports the image variables', async () => {
    const buildspec = parseBuildspec(await readFile(join(__dirname, '../../../../buildspec.yml'), 'utf8'));
    expect(buildspec.phases).toEqual([
      { name: 'build', commands: [`node --enable-source-maps ${RUNNER_FILE}`, `. ${OUTPUTS_FILE}`] },
    ]);
    expect(buildspec.exportedVariables).toEqual([...EXPORTED_VARIABLES]);
  });
});

describe('parseBuildspec', () => {
  it('keeps phases with commands in CodeBuild order, and env variables as strings', () => {
    const buildspec = parseBuildspec(`
version: 0.2
env:
  variables: { A: one, N: 2 }
phases:
  post_build: { commands: [echo post] }
  install: { runtime-versions: { nodejs: 20 } }
  pre_build: { commands: [echo pre] }
`);
    expect(buildspec.variables).toEqual({ A: 'one', N: '2' });
    expect(buildspec.phases.map((phase) => phase.name)).toEqual(['pre_build', 'post_build']);
  });

  it('refuses an unsupported version or invalid YAML', () => {
    expect(() => parseBuildspec('version: 0.1\nphases: {}')).toThrow(
      /not a buildspec kiln can run: "version": must be 0.2/,
    );
    expect(() => parseBuildspec('version: [')).toThrow(/not valid YAML/);
  });
});
