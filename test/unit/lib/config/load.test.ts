import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kilnConfigSchema } from '../../../../contract/config-schema';
import { KilnError } from '../../../../contract/errors';
import { defaultConfig } from '../../../../lib/config/defaults';
import { loadConfig } from '../../../../lib/config/load';

// TypeScript configs are compiled by jiti on first load, which is slow on a busy machine.
jest.setTimeout(30_000);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(file: string, text: string): void {
  mkdirSync(join(dir, file, '..'), { recursive: true });
  writeFileSync(join(dir, file), text);
}

async function loadError(): Promise<KilnError> {
  const error = await loadConfig(dir).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(KilnError);
  return error as KilnError;
}

describe('loadConfig', () => {
  it('returns the defaults and no source when there is no config file', async () => {
    const { config, source } = await loadConfig(dir);
    expect(source).toBeNull();
    expect(config.dockerfile.autoPackages).toBe(true);
  });

  it('reads kiln.config.json, allowing a $schema reference', async () => {
    write(
      'kiln.config.json',
      JSON.stringify({ $schema: './schema.json', port: 4000, dockerfile: { lambda: true } }),
    );
    const { config, source } = await loadConfig(dir);
    expect(source).toBe(join(dir, 'kiln.config.json'));
    expect(config.port).toBe(4000);
    expect(config.dockerfile.lambda).toBe(true);
    expect(config.dockerfile.addDeployUser).toBe(true);
  });

  it('reads kiln.config.ts with defineConfig imported from kiln/config', async () => {
    write(
      'kiln.config.ts',
      "import { defineConfig } from 'kiln/config';\nconst port: number = 5000;\nexport default defineConfig({ port });\n",
    );
    expect((await loadConfig(dir)).config.port).toBe(5000);
  });

  it('reads kiln.config.js (CommonJS)', async () => {
    write('kiln.config.js', 'module.exports = { framework: "go" };\n');
    expect((await loadConfig(dir)).config.framework).toBe('go');
  });

  // jiti evaluates the config whatever module system the project's package.json declares.
  describe.each([
    ['no package.json', null],
    ['"type": "commonjs"', '{"type": "commonjs"}'],
    ['"type": "module"', '{"type": "module"}'],
  ])('in a project with %s', (_, packageJson) => {
    beforeEach(() => {
      if (packageJson) write('package.json', packageJson);
    });
    it.each([
      ['kiln.config.js', 'export default { port: 4100 };\n'],
      ...(packageJson?.includes('module') ? [] : [['kiln.config.js', 'module.exports = { port: 4100 };\n']]),
      [
        'kiln.config.ts',
        "import { defineConfig } from 'kiln/config';\nexport default defineConfig({ port: 4100 });\n",
      ],
    ])('reads %s written as: %j', async (file, text) => {
      write(file, text);
      expect((await loadConfig(dir)).config.port).toBe(4100);
    });
  });

  it('refuses module.exports in a "type": "module" project (Node refuses it too) instead of taking the defaults', async () => {
    write('package.json', '{"type": "module"}');
    write('kiln.config.js', 'module.exports = { port: 4100 };\n');
    expect((await loadError()).message).toBe(
      'kiln.config.js failed to load: it exports nothing; in a "type": "module" project write "export default { ... }", not module.exports',
    );
  });

  it('refuses more than one config file', async () => {
    write('kiln.config.json', '{}');
    write('kiln.config.ts', 'export default {};');
    expect((await loadError()).message).toBe(
      'found kiln.config.json and kiln.config.ts; kiln reads only one config file',
    );
  });

  it('reports invalid JSON with the file name, line and column', async () => {
    write('kiln.config.json', '{\n  "port": 3000\n  "name": "x"\n}');
    expect((await loadError()).message).toBe(
      'kiln.config.json is not valid JSON: CommaExpected at line 3, column 3',
    );
  });

  it('reads JSON with comments and trailing commas (JSONC), as kiln init writes it', async () => {
    write('kiln.config.json', '{\n  // the port the app listens on\n  "port": 8080, /* why */\n}\n');
    expect((await loadConfig(dir)).config.port).toBe(8080);
  });

  it('reports a TS/JS config that throws', async () => {
    write('kiln.config.js', 'throw new Error("boom");\n');
    expect((await loadError()).message).toBe('kiln.config.js failed to load: boom');
  });

  it('names a misspelt top-level key and the closest valid one', async () => {
    write('kiln.config.json', JSON.stringify({ prot: 3000 }));
    expect((await loadError()).message).toBe('kiln.config.json: unknown key "prot"; did you mean "port"?');
  });

  it('names a misspelt nested key by its full path', async () => {
    write('kiln.config.json', JSON.stringify({ dockerfile: { addDeployUsr: false } }));
    expect((await loadError()).message).toBe(
      'kiln.config.json: unknown key "dockerfile.addDeployUsr"; did you mean "dockerfile.addDeployUser"?',
    );
  });

  it('suggests keys inside defaulted and nested objects (buildArgs, apt.packages)', async () => {
    write(
      'kiln.config.json',
      JSON.stringify({ dockerfile: { apt: { packages: { buildstage: ['make'] } } } }),
    );
    expect((await loadError()).message).toBe(
      'kiln.config.json: unknown key "dockerfile.apt.packages.buildstage"; did you mean "dockerfile.apt.packages.buildStage"?',
    );
  });

  it('lists the valid keys when nothing is close', async () => {
    write('kiln.config.json', JSON.stringify({ docker: { zzzzzzzz: 1 } }));
    expect((await loadError()).message).toBe(
      'kiln.config.json: unknown key "docker.zzzzzzzz"; valid keys here: image, tag, showBuildCommand',
    );
  });

  it('names the key path of a value of the wrong type', async () => {
    write('kiln.config.json', JSON.stringify({ dockerfile: { apt: { packages: { allStages: 'curl' } } } }));
    expect((await loadError()).message).toBe(
      'kiln.config.json: "dockerfile.apt.packages.allStages": Invalid input: expected array, received string',
    );
  });

  it('lists every problem when there are several', async () => {
    write('kiln.config.ts', 'export default { port: 0, framework: "cobol" };\n');
    const error = await loadError();
    expect(error.message).toMatch(/^kiln\.config\.ts has 2 problems:\n/);
    expect(error.message).toContain('"port": Too small: expected number to be >=1');
    expect(error.message).toContain('"framework": Invalid option');
    expect(error.hint).toBe('See docs/config.md for every option, its default and its effect.');
  });
});

describe('defaultConfig', () => {
  it('equals the schema defaults', () => {
    expect(defaultConfig()).toEqual(kilnConfigSchema.parse({}));
  });
});
