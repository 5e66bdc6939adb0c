// Preload for a kiln process under test (NODE_OPTIONS="--require <this file>"): as the process exits,
// writes the npm packages it loaded, one per line, to the file named by KILN_TEST_LOADED_PACKAGES.
// Tests use it to check that a command loads nothing only other commands need (start-up time).
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const packages = new Set();
  for (const file of Object.keys(require.cache)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file.split('\\').join('/'));
    if (match) packages.add(match[1]);
  }
  writeFileSync(process.env.KILN_TEST_LOADED_PACKAGES, `${[...packages].sort().join('\n')}\n`);
});
