// The layering rules (docs/architecture.md), checked by `npm run lint:deps` inside `npm test`.
// Type-only imports count: a cycle through a type is still a cycle for the reader.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Modules form layers: a cycle means two modules that cannot be read (or moved) apart.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'nothing-imports-commands',
      comment:
        'Commands are the top layer: only the CLI (lib/cli.ts) registers them; a command may share its own folder and lib/commands/*.ts.',
      severity: 'error',
      from: { pathNot: '^lib/(cli\\.ts$|commands/)' },
      to: { path: '^lib/commands/' },
    },
    {
      name: 'commands-do-not-import-other-commands',
      comment: 'What two commands share lives in lib/commands/*.ts or a lower layer, not in another command.',
      severity: 'error',
      from: { path: '^lib/commands/([^/]+)/' },
      to: { path: '^lib/commands/[^/]+/', pathNot: '^lib/commands/$1/' },
    },
    {
      name: 'lib-enters-runner-through-its-index',
      comment:
        'lib/ uses the build side only through runner/index.ts, so runner internals can change freely.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^runner/', pathNot: '^runner/index\\.ts$' },
    },
    {
      name: 'runner-is-self-contained',
      comment:
        'The runner is bundled alone into the source archive: it imports only the contract and packages.',
      severity: 'error',
      from: { path: '^runner/' },
      to: { path: '^(lib|cdk)/' },
    },
    {
      name: 'cdk-imports-only-the-contract',
      comment:
        'The stack shares names and settings with the CLI through contract/, never through lib/ or runner/.',
      severity: 'error',
      from: { path: '^cdk/' },
      to: { path: '^(lib|runner)/' },
    },
    {
      name: 'contract-imports-nothing-of-ours',
      comment: 'contract/ is the bottom layer that lib/, runner/ and cdk/ share.',
      severity: 'error',
      from: { path: '^contract/' },
      to: { path: '^(lib|runner|cdk)/' },
    },
    {
      name: 'aws-is-only-aws-service-code',
      comment:
        'lib/aws/ talks to AWS services; output formatting and terminal colours belong to commands and lib/output.',
      severity: 'error',
      from: { path: '^lib/aws/' },
      to: { path: '^(lib/output/|node_modules/(commander|picocolors|nanospinner|cli-progress)/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|cdk\\.out|test/fixtures)/' },
  },
};
