// Build-side entry point, bundled into dist/runner.js and run by buildspec.yml inside CodeBuild.
console.error('kiln runner: not implemented yet');
process.exitCode = 1;
