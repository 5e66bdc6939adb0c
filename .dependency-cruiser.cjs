// The layering rules (docs/architecture.md), checked by `npm run lint:deps` inside `npm test`.
// Type-only imports count: a cycle through a type is still a cycle for the reader.

/** One forbidden dependency: any import from a module matching `from` to one matching `to` fails. */
function forbid(name, comment, from, to) {
  return { name, comment, severity: 'error', from, to };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    forbid(
      'no-cycles',
      'Modules form layers: a cycle means two modules that cannot be read (or moved) apart.',
      {},
      { circular: true },
    ),
    forbid(
      'nothing-imports-commands',
      'Commands are the top layer: only the CLI (lib/cli.ts) registers them.',
      { pathNot: '^lib/(cli\\.ts$|commands/)' },
      { path: '^lib/commands/' },
    ),
    forbid(
      'commands-do-not-import-other-commands',
      'What two commands share lives in lib/commands/*.ts or a lower layer, not in another command.',
      { path: '^lib/commands/([^/]+)/' },
      { path: '^lib/commands/[^/]+/', pathNot: '^lib/commands/$1/' },
    ),
    forbid(
      'lib-enters-runner-through-its-index',
      'lib/ uses the build side only through runner/index.ts, so runner internals can change freely.',
      { path: '^lib/' },
      { path: '^runner/', pathNot: '^runner/index\\.ts$' },
    ),
    forbid(
      'runner-is-self-contained',
      'The runner is bundled alone into the source archive: it imports only the contract and packages.',
      { path: '^runner/' },
      { path: '^(lib|cdk)/' },
    ),
    forbid(
      'cdk-imports-only-the-contract',
      'The stack shares names and settings with the CLI through contract/, never lib/ or runner/.',
      { path: '^cdk/' },
      { path: '^(lib|runner)/' },
    ),
    forbid(
      'contract-imports-nothing-of-ours',
      'contract/ is the bottom layer that lib/, runner/ and cdk/ share.',
      { path: '^contract/' },
      { path: '^(lib|runner|cdk)/' },
    ),
    forbid(
      'aws-is-only-aws-service-code',
      'lib/aws/ talks to AWS; output, colours and flags belong to lib/output and the commands.',
      { path: '^lib/aws/' },
      { path: '^(lib/output/|node_modules/(commander|picocolors|nanospinner|cli-progress)/)' },
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|cdk\\.out|test/fixtures)/' },
  },
};
