// The build description's schema (contract/description.ts has the description's files and
// variables): the runner validates the build.json it unpacks against it.
import { z } from 'zod';
import { kilnConfigSchema } from './config-schema';

export const buildDescriptionSchema = z.object({
  kilnVersion: z.string(),
  /** Friendly project name (config `name`, default the directory name). */
  name: z.string(),
  config: kilnConfigSchema,
  git: z
    .object({
      sha: z.string().optional(),
      branch: z.string().optional(),
      dirty: z.boolean(),
    })
    .nullable(),
});

export type BuildDescription = z.output<typeof buildDescriptionSchema>;
