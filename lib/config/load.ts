// Loads the project's kiln.config.{json,ts,js}, validates it against the shared schema and turns
// every problem into a KilnError that names the file and the key. TS/JS configs are evaluated
// with jiti, loaded only when such a file exists so `kiln dockerfile` stays fast.
import { closeSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { KilnConfig } from '../../contract/config-schema';
import { KilnError } from '../../contract/errors';
import { openRegularFile, readRegularFile } from '../../runner/index';
import { defaultConfig } from './defaults';

const CONFIG_FILES = ['kiln.config.json', 'kiln.config.ts', 'kiln.config.js'] as const;

const SCHEMA_MODULE = join(__dirname, '..', '..', 'contract', 'config-schema');

/** A config that needs longer than this to evaluate is stuck (an endless loop, a timer that never ends). */
const EVALUATION_TIMEOUT_MS = 10_000;
const MAX_JSON_BYTES = 1024 * 1024;

/**
 * Evaluated in a worker thread: an endless loop or a promise that never settles in the user's code
 * cannot hang kiln or hold up Ctrl-C (the worker is terminated), and a config that never produces a
 * value is an error, never an empty success.
 */
const EVALUATOR = `
const { parentPort, workerData } = require('node:worker_threads');
const { createJiti } = require(workerData.jiti);
const jiti = createJiti(workerData.from, { alias: { 'kiln/config': workerData.schema }, moduleCache: false, fsCache: false });
jiti.import(workerData.path, { default: true }).then(
  (value) => {
    // An empty module namespace: the file exports nothing Node's ES module rules let it export
    // (module.exports in a "type": "module" project, which Node itself refuses to run).
    if (value && value[Symbol.toStringTag] === 'Module' && Object.keys(value).length === 0) {
      parentPort.postMessage({ failure: 'it exports nothing; in a "type": "module" project write "export default { ... }", not module.exports' });
      return;
    }
    // A module namespace cannot be cloned; its keys can.
    try { parentPort.postMessage({ value: value && value[Symbol.toStringTag] === 'Module' ? { ...(value.default ?? value) } : value }); }
    catch (error) { parentPort.postMessage({ failure: 'its default export is not plain data (' + error.message + ')' }); }
  },
  (error) => parentPort.postMessage({ failure: String((error && error.message) || error).split('\\n')[0] }),
);
`;

function evaluateModule(path: string, file: string, signal?: AbortSignal): Promise<unknown> {
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  const fix = `Fix ${file}; it should \`export default defineConfig({ ... })\`.`;
  const worker = new Worker(EVALUATOR, {
    eval: true,
    workerData: { jiti: require.resolve('jiti'), from: __filename, schema: SCHEMA_MODULE, path },
    stdout: false,
    stderr: false,
  });
  return new Promise<unknown>((resolve, reject) => {
    const settle = (outcome: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      outcome();
    };
    const onAbort = () => settle(() => reject(signal!.reason));
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new KilnError(
              `${file} did not finish evaluating within ${EVALUATION_TIMEOUT_MS / 1000} s (an endless loop, or a promise that never settles?)`,
              fix,
            ),
          ),
        ),
      EVALUATION_TIMEOUT_MS,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: { value?: unknown; failure?: string }) =>
      settle(() =>
        'failure' in message
          ? reject(new KilnError(`${file} failed to load: ${message.failure}`, fix))
          : resolve(message.value),
      ),
    );
    worker.on('error', (error) =>
      settle(() => reject(new KilnError(`${file} failed to load: ${error.message.split('\n')[0]}`, fix))),
    );
    worker.on('exit', () =>
      settle(() =>
        reject(
          new KilnError(
            `${file} never produced a config: its default export is a promise that never settles, or it exited`,
            fix,
          ),
        ),
      ),
    );
  });
}

async function readRaw(path: string, file: string, signal?: AbortSignal): Promise<unknown> {
  if (!file.endsWith('.json')) {
    // Checked on an open handle before the worker reads it: a FIFO there would block the worker for good.
    const opened = openRegularFile(path, { followLinks: true, label: file });
    if (opened) closeSync(opened.fd);
    return evaluateModule(path, file, signal);
  }
  const read = readRegularFile(path, { followLinks: true, label: file, maxBytes: MAX_JSON_BYTES });
  if (read.kind === 'too-large') {
    throw new KilnError(
      `${file} is ${read.size} bytes; a kiln config is at most ${MAX_JSON_BYTES} bytes`,
      `Fix ${file}: it should hold kiln's settings only.`,
    );
  }
  if (read.kind === 'missing') throw new KilnError(`${file} disappeared while kiln read it`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(read.data);
  } catch (error) {
    throw new KilnError(
      `${file} is not valid JSON: ${(error as Error).message}`,
      `Fix ${file} and run again.`,
    );
  }
  return parseJsonc(text, file);
}

/**
 * kiln.config.json is JSON with comments (JSONC, as VS Code's settings and tsconfig.json), so the file
 * `kiln init` writes can say what each setting is for; the JSON Schema tells editors (allowComments).
 */
function parseJsonc(text: string, file: string): unknown {
  const { parse, printParseErrorCode } = require('jsonc-parser') as typeof import('jsonc-parser');
  const errors: import('jsonc-parser').ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const [first] = errors;
  if (first) {
    const before = text.slice(0, first.offset).split('\n');
    throw new KilnError(
      `${file} is not valid JSON: ${printParseErrorCode(first.error)} at line ${before.length}, column ${before.at(-1)!.length + 1}`,
      `Fix ${file} and run again (comments and trailing commas are allowed).`,
    );
  }
  return value;
}

export function validateConfig(raw: unknown, file: string): KilnConfig {
  // Loaded here, not at the top: projects without a config file never pay for zod.
  const { kilnConfigSchema } =
    require('../../contract/config-schema') as typeof import('../../contract/config-schema');
  const { describeIssues } = require('./issues') as typeof import('./issues');
  const result = kilnConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = describeIssues(kilnConfigSchema, result.error.issues);
  throw new KilnError(
    problems.length === 1
      ? `${file}: ${problems[0]}`
      : `${file} has ${problems.length} problems:\n${problems.map((p) => `    - ${p}`).join('\n')}`,
    'See docs/config.md for every option, its default and its effect.',
  );
}

export async function loadConfig(
  projectDir: string,
  signal?: AbortSignal,
): Promise<{ config: KilnConfig; source: string | null }> {
  const present = CONFIG_FILES.filter((file) => existsSync(join(projectDir, file)));
  if (present.length > 1) {
    throw new KilnError(
      `found ${present.join(' and ')}; kiln reads only one config file`,
      'Keep one of them and delete the others.',
    );
  }
  const file = present[0];
  if (file === undefined) return { config: defaultConfig(), source: null };
  const path = resolve(projectDir, file);
  return { config: validateConfig(await readRaw(path, file, signal), file), source: path };
}
