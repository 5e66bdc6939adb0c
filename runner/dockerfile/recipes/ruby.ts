// Ruby: gems installed with Bundler into BUNDLE_PATH, copied with the app. Rails gets bootsnap
// precompilation, assets:precompile (a dummy secret, never the real one) and jemalloc.
import type { RubyPlan } from '../../detect/plan';
import { officialImage } from '../base-images';
import { copy, env, type Line, run } from '../model';
import type { Recipe } from './recipe';

const BUNDLE_PATH = '/usr/local/bundle';

/** Frozen or not is BUNDLE_DEPLOYMENT's job; the cache and git checkouts never ship. */
export function bundleInstall(): string[] {
  return [
    'bundle install',
    `rm -rf ~/.bundle/ "\${BUNDLE_PATH}"/ruby/*/cache "\${BUNDLE_PATH}"/ruby/*/bundler/gems/*/.git`,
  ];
}

export function rubyRecipe(plan: RubyPlan): Recipe {
  const frozen = plan.lockfile !== null;
  const baseEnv: Record<string, string> = {
    BUNDLE_PATH,
    BUNDLE_WITHOUT: 'development:test',
    ...(frozen ? { BUNDLE_DEPLOYMENT: '1' } : {}),
    ...(plan.rails ? { RAILS_ENV: 'production' } : {}),
  };
  const baseLines: Line[] = [env(baseEnv)];
  if (plan.rails) {
    // jemalloc: lower memory use for long-running Ruby processes; the path depends on the architecture.
    baseLines.push(
      run('ln -s "/usr/lib/$(uname -m)-linux-gnu/libjemalloc.so.2" /usr/local/lib/libjemalloc.so'),
    );
    baseLines.push(env({ LD_PRELOAD: '/usr/local/lib/libjemalloc.so' }));
  }
  const installSteps = bundleInstall();
  if (plan.bootsnap) installSteps.push('bundle exec bootsnap precompile --gemfile');
  return {
    base: officialImage('ruby', plan.version),
    workdir: '/app',
    basePackages: plan.rails ? ['libjemalloc2'] : [],
    baseLines,
    buildPackages: ['build-essential', 'pkg-config', ...(plan.rails ? ['libyaml-dev'] : [])],
    install: { files: plan.installFiles, steps: [run(...installSteps)] },
    compile: [
      // The assets stage already built app/assets/builds: jsbundling/cssbundling must not rebuild
      // it (the build stage has no Node.js).
      ...(plan.assets ? [env({ SKIP_JS_BUILD: '1', SKIP_CSS_BUILD: '1' })] : []),
      ...(plan.bootsnap ? [run('bundle exec bootsnap precompile app/ lib/')] : []),
      ...(plan.buildCommand ? [run(plan.buildCommand)] : []),
    ],
    deployCopies: [
      copy([BUNDLE_PATH], BUNDLE_PATH, { from: 'build' }),
      copy(['/app'], '/app', { from: 'build' }),
    ],
    deployUser: true,
  };
}
