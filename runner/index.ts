// The build side's one public entry for the laptop side: `lib/` imports the runner only through
// this file (enforced in .dependency-cruiser.cjs), so everything else in runner/ can change freely.
// `kiln dockerfile` generates offline; `kiln build --local` runs the bundled runner and reads back
// its log format, its outputs file and its tag rules.
// Import it as `runner/index`, never `runner`: next to dist/runner/ sits the bundle (dist/runner.cjs,
// and an older dist/runner.js), which Node would load for a bare `runner`.
export { type DetectionReport, formatReport } from './detect/report';
export { readProjectSnapshot } from './detect/snapshot';
export { openRegularFile, readRegularFile } from './files/regular-file';
export {
  type BuildMode,
  type GeneratedBuild,
  generateFromSnapshot,
  resolveBuildMode,
} from './generate';
export { RunnerLog } from './log/logger';
export { type IndexPublication, publishIndexWhenComplete } from './registry/image-index';
export {
  httpManifestStore,
  type ManifestStore,
  manifestDigest,
  type StoredManifest,
} from './registry/manifest-store';
export { parseOutputsEnv } from './steps/outputs-env';
export { customDockerfilePath } from './steps/prepare-dockerfile';
export { buildModeFor } from './steps/source-build-mode';
export { formatTags, sanitizeTag } from './tags/format-tags';
