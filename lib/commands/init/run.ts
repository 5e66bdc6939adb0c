// `kiln init` at work: the pre-flight `kiln build` runs (detection and generation, offline), then a
// starter kiln.config.json that holds only what differs from the defaults. Never overwrites without --force.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KilnError } from '../../../contract/errors';
import { formatReport } from '../../../runner/index';
import { defaultConfig } from '../../config/defaults';
import { renderStarterConfig } from '../../config/starter-config';
import { neutralize } from '../../output/untrusted';
import { checkProject, type ProjectCheck, projectDirectory } from '../../preflight/check-project';

export interface InitOptions {
  force?: boolean;
}

const CONFIG_FILE = 'kiln.config.json';
const OTHER_CONFIG_FILES = ['kiln.config.ts', 'kiln.config.js'];
const SCHEMA_PATH = 'schema/kiln.config.schema.json';

export async function initProject(dir: string, options: InitOptions): Promise<void> {
  const projectDir = await projectDirectory(dir);
  const other = OTHER_CONFIG_FILES.find((file) => existsSync(join(projectDir, file)));
  if (other) {
    throw new KilnError(
      `${other} already configures this project; kiln init writes ${CONFIG_FILE}, and kiln reads only one`,
      `Keep ${other}, or delete it and run kiln init again.`,
    );
  }
  if (existsSync(join(projectDir, CONFIG_FILE)) && !options.force) {
    throw new KilnError(
      `${join(dir, CONFIG_FILE)} already exists; kiln init leaves it as it is`,
      'Pass --force to replace it with a fresh one (detection starts again from the defaults).',
    );
  }
  const { check, settings } = await detect(dir, projectDir);
  await writeFile(
    join(projectDir, CONFIG_FILE),
    renderStarterConfig({
      schema: schemaReference(projectDir),
      settings,
      ...(check.generated ? { report: check.generated.report } : {}),
    }),
  );
  const out = process.stderr;
  out.write(`kiln: wrote ${join(dir, CONFIG_FILE)}\n`);
  if (check.generated) {
    out.write(`mode: ${check.mode.reason}\n`);
    out.write(neutralize(formatReport(check.generated.report, check.generated.warnings)));
    out.write(`stages: ${stagesOf(check.generated.dockerfile)}\n`);
    out.write('See the whole Dockerfile with: kiln dockerfile --explain\n');
  } else {
    out.write(`mode: ${check.mode.reason}\n`);
  }
}

/**
 * Detection from the defaults. A project kiln does not recognise but that has a Dockerfile builds
 * with it: that is the one setting init adds on its own. Anything else unrecognised is refused with
 * `kiln dockerfile`'s message, and nothing is written.
 */
async function detect(
  dir: string,
  projectDir: string,
): Promise<{ check: ProjectCheck; settings: Record<string, unknown> }> {
  try {
    return { check: await checkProject(dir, defaultConfig()), settings: {} };
  } catch (error) {
    if (!existsSync(join(projectDir, 'Dockerfile'))) throw error;
    const config = defaultConfig();
    config.dockerfile.custom = true;
    return { check: await checkProject(dir, config), settings: { dockerfile: { custom: true } } };
  }
}

/** The stages of the generated Dockerfile, with their base images: `base (node:22-bookworm-slim), build, …`. */
function stagesOf(dockerfile: string): string {
  return [...dockerfile.matchAll(/^FROM (\S+) AS (\S+)$/gm)]
    .map(([, image, stage]) =>
      /^[a-z]+$/.test(image!) && !image!.includes(':') ? stage : `${stage} (${image})`,
    )
    .join(', ');
}

/**
 * `$schema`: the project's own kiln install when it has one (portable, committed with the project),
 * else the schema of the kiln that runs now (a file URL on this machine).
 */
function schemaReference(projectDir: string): string {
  if (existsSync(join(projectDir, 'node_modules', 'kiln', SCHEMA_PATH)))
    return `./node_modules/kiln/${SCHEMA_PATH}`;
  for (let at = __dirname; at !== dirname(at); at = dirname(at)) {
    if (existsSync(join(at, SCHEMA_PATH))) return pathToFileURL(join(at, SCHEMA_PATH)).href;
  }
  throw new KilnError('the JSON Schema was not found next to the kiln installation', 'Reinstall kiln.');
}
