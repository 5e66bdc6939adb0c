// Preload (`node -r bench/require-timing.cjs ...`): times every require() inclusive of what it loads, and
// on exit prints the costliest entries into a package or project file, with who imported them, so the
// owners know what to lazy-load. Used by bench/startup.ts when a startup target is missed.
const Module = require('node:module');
const { relative } = require('node:path');

const originalLoad = Module._load;
const costs = new Map();

/** A package name for files under node_modules, else the path relative to the working directory. */
function unitOf(filename) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(filename.split('\\').join('/'));
  return match ? match[1] : relative(process.cwd(), filename);
}

Module._load = function timedLoad(...args) {
  const [request, parent, isMain] = args;
  const started = performance.now();
  const exports = originalLoad.apply(this, args);
  let filename;
  try {
    filename = Module._resolveFilename(request, parent, isMain);
  } catch {
    return exports;
  }
  if (Module.isBuiltin(filename)) return exports;
  const unit = unitOf(filename);
  const from = parent?.filename ? unitOf(parent.filename) : '(main)';
  if (unit !== from && !costs.has(unit)) costs.set(unit, { ms: performance.now() - started, from });
  return exports;
};

process.on('exit', () => {
  const sorted = [...costs].sort((a, b) => b[1].ms - a[1].ms);
  for (const [unit, { ms, from }] of sorted) {
    process.stderr.write(`require-timing ${ms.toFixed(1).padStart(7)} ms  ${unit}  (imported by ${from})\n`);
  }
});
