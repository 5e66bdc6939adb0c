// Detection entry point: which kind of app this is (or the config's `framework`), then the
// ecosystem's rules. Pure: reads only the snapshot and the config.
import type { Framework, KilnConfig } from '../../contract/config-schema';
import { KilnError } from '../../contract/errors';
import { detectGo } from './go';
import { detectNode, detectNodeBuild, nodeFramework, readPackageJson } from './node';
import type { AppPlan, NodeAssets } from './plan';
import { detectPython, PYTHON_MARKERS, pythonFramework } from './python';
import { CONFIG_SOURCE, DecisionLog, type DetectionReport } from './report';
import { detectRuby, rubyFramework } from './ruby';
import { firstExisting, hasPath, type ProjectSnapshot } from './snapshot';
import { detectStatic, isHugo, isJekyll, plainSiteRoot } from './static';

export interface Detection {
  plan: AppPlan;
  report: DetectionReport;
  warnings: string[];
}

type Ecosystem = AppPlan['ecosystem'];

const ECOSYSTEM_OF: Record<Framework, Ecosystem> = {
  node: 'node',
  express: 'node',
  nextjs: 'node',
  nestjs: 'node',
  'node-static': 'static',
  python: 'python',
  django: 'python',
  fastapi: 'python',
  flask: 'python',
  'python-lambda': 'python',
  ruby: 'ruby',
  rails: 'ruby',
  rack: 'ruby',
  go: 'go',
  jekyll: 'static',
  hugo: 'static',
  static: 'static',
};

/** What detection looks for, in order; listed in the error for an unrecognised project. */
export const LOOKED_FOR = [
  'Gemfile (Ruby: Rails, Rack, Jekyll)',
  `${PYTHON_MARKERS.join(', ')} (Python: Django, FastAPI, Flask, Lambda handlers)`,
  'go.mod (Go)',
  'hugo.toml/hugo.yaml (Hugo), _config.yml with _posts or _layouts (Jekyll)',
  'package.json with a start script, main, server.js or index.js (Node.js: Express, Next.js, NestJS, Vite and other single-page apps)',
  'index.html or public/index.html (static site)',
];

function detectFramework(
  snapshot: ProjectSnapshot,
  config: KilnConfig,
): { framework: Framework; source: string } {
  if (config.framework !== undefined)
    return { framework: config.framework, source: CONFIG_SOURCE('framework') };
  if (hasPath(snapshot, 'Gemfile')) return rubyFramework(snapshot);
  if (firstExisting(snapshot, PYTHON_MARKERS)) return pythonFramework(snapshot, config);
  if (hasPath(snapshot, 'go.mod')) return { framework: 'go', source: 'go.mod' };
  const hugo = isHugo(snapshot);
  if (hugo) return { framework: 'hugo', source: hugo };
  const jekyll = isJekyll(snapshot);
  if (jekyll) return { framework: 'jekyll', source: jekyll };
  const pkg = readPackageJson(snapshot);
  const node = pkg && nodeFramework(snapshot, pkg);
  if (node) return node;
  const root = plainSiteRoot(snapshot);
  if (root) return { framework: 'static', source: root === '.' ? 'index.html' : `${root}/index.html` };
  throw new KilnError(
    `no app kiln recognises in this directory. Looked for:\n${LOOKED_FOR.map((line) => `    - ${line}`).join('\n')}`,
    'Set "framework" in kiln.config.json, bring your own Dockerfile ("dockerfile": { "custom": true }), ' +
      'or use a prebuilt image ("docker": { "image": "..." } or KILN_DOCKER_IMAGE).',
  );
}

/** A Ruby or Python app with a package.json build gets a separate Node assets stage. */
function detectAssets(snapshot: ProjectSnapshot, plan: AppPlan, log: DecisionLog): NodeAssets | null {
  if (plan.ecosystem !== 'ruby' && plan.ecosystem !== 'python') return null;
  const pkg = readPackageJson(snapshot);
  const script = pkg?.scripts?.build;
  if (!pkg || !script) return null;
  const explicit = /(?:--outdir|--out-dir|--output-path)[= ](\S+)/i.exec(script)?.[1];
  const outputDir = explicit
    ? { dir: explicit.replace(/^\.\//, ''), source: 'package.json (scripts.build)' }
    : plan.framework === 'rails'
      ? { dir: 'app/assets/builds', source: 'Rails convention' }
      : { dir: 'dist', source: 'default' };
  // Rails precompiles the built assets in the build stage; other apps serve them as they are.
  return detectNodeBuild(snapshot, pkg, log, outputDir, plan.framework === 'rails' ? 'build' : 'deployment');
}

export function detectApp(snapshot: ProjectSnapshot, config: KilnConfig): Detection {
  const log = new DecisionLog();
  const { framework, source } = detectFramework(snapshot, config);
  log.decide('framework', framework, source);
  let plan: AppPlan;
  switch (ECOSYSTEM_OF[framework]) {
    case 'node':
      plan = detectNode(snapshot, config, log, framework);
      break;
    case 'python':
      plan = detectPython(snapshot, config, log, framework);
      break;
    case 'ruby':
      plan = detectRuby(snapshot, config, log, framework);
      break;
    case 'go':
      plan = detectGo(snapshot, config, log);
      break;
    case 'static':
      plan = detectStatic(snapshot, config, log, framework);
      break;
  }
  plan.assets = detectAssets(snapshot, plan, log);
  return { plan, report: { framework, decisions: log.decisions, packages: [] }, warnings: log.warnings };
}
