// The JSON Schema for kiln.config.json (editor completion and validation), derived from the zod
// schema so the two never drift; schema/kiln.config.schema.json is checked against it in tests.
import { z } from 'zod';
import { kilnConfigSchema } from '../../contract/config-schema';

export function kilnConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(kilnConfigSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'kiln configuration (kiln.config.json)',
    // kiln reads kiln.config.json as JSONC (lib/config/load.ts); VS Code's JSON service honours these.
    allowComments: true,
    allowTrailingCommas: true,
  };
}
