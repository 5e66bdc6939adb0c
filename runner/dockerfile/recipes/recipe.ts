// What an ecosystem contributes to the generated stages. The assembler (../assemble.ts) adds
// everything common: packages, build args, hooks, copyForInstall, the deploy user, USER/EXPOSE/CMD.
import type { BaseImage } from '../base-images';
import type { Line } from '../model';

export interface Recipe {
  /** Image of the `base` stage; the deployment stage starts from it. */
  base: BaseImage;
  /** Where the app lives in the base, build and deployment stages. */
  workdir: string;
  /** System packages the app needs at run time (installed once, in base). */
  basePackages: string[];
  /** Base-stage lines after its packages: ENV, small config files. */
  baseLines: Line[];
  /** A different image for the build stage (a toolchain the runtime does not need). */
  buildImage?: { image: BaseImage; workdir: string; lines: Line[] };
  /** Toolchain packages for the build stage. */
  buildPackages: string[];
  /** Files copied before dependencies are installed (lockfiles), and the install steps. */
  install: { files: string[]; steps: Line[] };
  /**
   * Steps of a stage from `deps` that keeps only the run-time dependencies (a prune): it depends on
   * the package files alone, so the deployment stage can copy it as a layer that stays cached.
   */
  productionDependencies?: Line[];
  /** Steps after the source is copied: the app build, pruning. */
  compile: Line[];
  /** COPY --from=build lines: only what runs. */
  deployCopies: Line[];
  /** Whether a non-root deploy user runs the app (Lambda images bring their own). */
  deployUser: boolean;
}

/** What a recipe needs to know beyond the plan. */
export interface RecipeContext {
  /** Build-stage hooks may change the app directory, so the deployment stage must take it whole. */
  buildStageHooks: boolean;
  /** dockerfile.forceRubyPlatform and dockerfile.bootsnapCommand. */
  ruby: { forceRubyPlatform: boolean; bootsnapCommand?: string | false };
}
