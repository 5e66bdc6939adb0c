// schema/kiln.config.schema.json must match the zod schema. After changing the schema, regenerate:
// KILN_UPDATE_GOLDEN=1 npx jest test/unit/config/json-schema
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kilnConfigJsonSchema } from '../../../../lib/config/json-schema';

const FILE = join(__dirname, '..', '..', '..', '..', 'schema', 'kiln.config.schema.json');

describe('kiln.config JSON Schema', () => {
  const expected = `${JSON.stringify(kilnConfigJsonSchema(), null, 2)}\n`;

  it('is up to date with the zod schema', () => {
    if (process.env.KILN_UPDATE_GOLDEN === '1') writeFileSync(FILE, expected);
    expect(readFileSync(FILE, 'utf8')).toBe(expected);
  });

  it('describes the options editors complete, without requiring defaulted keys', () => {
    const schema = JSON.parse(expected);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required ?? []).toEqual([]);
    expect(Object.keys(schema.properties.dockerfile.properties)).toEqual(
      expect.arrayContaining([
        'addDeployUser',
        'buildArgs',
        'custom',
        'apt',
        'yum',
        'autoPackages',
        'copyForInstall',
        'baseImage',
        'hooks',
        'lambda',
      ]),
    );
  });
});
