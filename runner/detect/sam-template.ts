// An AWS SAM template (template.yaml) names a Lambda function's handler, code folder and runtime,
// which is everything a Python Lambda image needs when the code is not at the project root.
import { parseYaml } from './common';
import type { DecisionLog } from './report';
import { firstExisting, type ProjectSnapshot } from './snapshot';

export interface SamFunction {
  /** Template file it came from. */
  file: string;
  /** Logical id in Resources. */
  name: string;
  /** `module.function`, relative to codeDir. */
  handler: string;
  /** Folder (relative, no trailing slash) holding the function's code; '.' for the project root. */
  codeDir: string;
  /** `python3.13` → `3.13`, when the template says. */
  pythonVersion: string | undefined;
}

const TEMPLATES = ['template.yaml', 'template.yml'];

type Properties = { Handler?: unknown; CodeUri?: unknown; Runtime?: unknown; PackageType?: unknown };

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/**
 * The template's Python zip functions. CloudFormation tags (!Ref, !Sub) parse as plain values, and
 * a template that is not YAML at all is ignored with a warning (log may be absent for a quick check).
 */
export function samPythonFunctions(snapshot: ProjectSnapshot, log?: DecisionLog): SamFunction[] {
  const file = firstExisting(snapshot, TEMPLATES);
  const text = file === undefined ? undefined : snapshot.contents.get(file);
  if (file === undefined || text === undefined || !/AWS::Serverless::Function/.test(text)) return [];
  let template: Record<string, unknown>;
  try {
    template = asObject(parseYaml(text, { logLevel: 'silent', uniqueKeys: false }));
  } catch (error) {
    log?.warn(`${file} is not valid YAML (${(error as Error).message.split('\n')[0]}); kiln ignores it`);
    return [];
  }
  const globals = asObject(asObject(template.Globals).Function) as Properties;
  const functions: SamFunction[] = [];
  for (const [name, resource] of Object.entries(asObject(template.Resources))) {
    const { Type, Properties: props } = asObject(resource) as { Type?: unknown; Properties?: Properties };
    if (Type !== 'AWS::Serverless::Function') continue;
    const runtime = String(props?.Runtime ?? globals.Runtime ?? '');
    const handler = props?.Handler ?? globals.Handler;
    if (!runtime.startsWith('python') || typeof handler !== 'string' || props?.PackageType === 'Image')
      continue;
    const codeUri = typeof props?.CodeUri === 'string' ? props.CodeUri : '.';
    functions.push({
      file,
      name,
      handler,
      codeDir: codeUri.replace(/^\.\//, '').replace(/\/+$/, '') || '.',
      pythonVersion: /^python(\d+\.\d+)$/.exec(runtime)?.[1],
    });
  }
  return functions;
}
