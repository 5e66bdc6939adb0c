// The builders kiln drives on this machine, and what selects each: the docker CLI 20.10
// (/usr/bin/docker) reaches the engine's built-in BuildKit with DOCKER_BUILDKIT=1, which kiln picks
// by itself; the CLI on PATH (28.x, no buildx) cannot, and KILN_BUILDER=classic says so explicitly.
export interface E2eBuilder {
  /** How the runner's "builder:" log line starts. */
  builder: string;
  env: Record<string, string>;
}

export const E2E_BUILDERS: E2eBuilder[] = [
  { builder: 'BuildKit', env: { PATH: `/usr/bin:${process.env.PATH}` } },
  { builder: 'classic', env: { KILN_BUILDER: 'classic' } },
];
