// Go: a static binary (CGO_ENABLED=0) built on the Go toolchain image, run on slim Debian.
import { GO_BINARY } from '../../detect/go';
import type { GoPlan } from '../../detect/plan';
import { officialImage } from '../base-images';
import { copy, run } from '../model';
import type { Recipe } from './recipe';

export function goRecipe(plan: GoPlan): Recipe {
  return {
    base: officialImage('debian'),
    workdir: '/app',
    // Root certificates, so the app can call HTTPS services.
    basePackages: ['ca-certificates'],
    baseLines: [],
    buildImage: { image: officialImage('go', plan.version), workdir: '/src', lines: [] },
    buildPackages: [],
    install: { files: ['go.mod', ...(plan.hasGoSum ? ['go.sum'] : [])], steps: [run('go mod download')] },
    compile: plan.buildCommand ? [run(plan.buildCommand)] : [],
    deployCopies: [
      copy([GO_BINARY], GO_BINARY, { from: 'build' }),
      // Folders the binary reads from its working directory at run time (templates, static files).
      ...plan.runtimeDirs.map((dir) => copy([`/src/${dir}`], `/app/${dir}`, { from: 'build' })),
    ],
    deployUser: true,
  };
}
