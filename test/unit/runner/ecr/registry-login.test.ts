import { ecrRegion, registryHost } from '../../../../runner/ecr/registry-host';
import { RegistryLogin } from '../../../../runner/ecr/registry-login';
import { RunnerLog } from '../../../../runner/log/logger';
import { FakeDocker } from '../../../helpers/fakes/fake-docker';

describe('registry hosts', () => {
  it('finds the registry of an image reference', () => {
    expect(registryHost('123456789012.dkr.ecr.eu-west-1.amazonaws.com/kiln:tag')).toBe(
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    );
    expect(registryHost('127.0.0.1:5000/kiln')).toBe('127.0.0.1:5000');
    expect(registryHost('localhost/app')).toBe('localhost');
    expect(registryHost('library/node:20')).toBe('docker.io');
    expect(registryHost('node')).toBe('docker.io');
  });

  it('recognises ECR hosts and their region', () => {
    expect(ecrRegion('123456789012.dkr.ecr.us-east-1.amazonaws.com')).toBe('us-east-1');
    expect(ecrRegion('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com')).toBe('us-gov-west-1');
    expect(ecrRegion('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn')).toBe('cn-north-1');
    expect(ecrRegion('127.0.0.1:5000')).toBeUndefined();
    expect(ecrRegion('public.ecr.aws')).toBeUndefined();
    expect(ecrRegion('123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example')).toBeUndefined();
  });
});

describe('RegistryLogin', () => {
  const ecr = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

  it('logs in once per ECR registry, password through stdin only, masked in the log', async () => {
    const docker = new FakeDocker();
    const lines: string[] = [];
    const log = new RunnerLog(undefined, (line) => lines.push(line));
    const regions: string[] = [];
    const login = new RegistryLogin(
      docker,
      async (region) => {
        regions.push(region);
        return { username: 'AWS', password: 'ecr-password-secret' };
      },
      log,
    );
    await login.ensure(`${ecr}/kiln:a`);
    await login.ensure(`${ecr}/kiln:cache-x`);
    expect(regions).toEqual(['us-east-1']);
    expect(docker.calls).toEqual([
      {
        args: ['login', '--username', 'AWS', '--password-stdin', ecr],
        options: { input: 'ecr-password-secret' },
      },
    ]);
    log.output('echo ecr-password-secret');
    expect(lines.join('\n')).not.toContain('ecr-password-secret');
  });

  it('skips registries that are not ECR', async () => {
    const docker = new FakeDocker();
    const login = new RegistryLogin(
      docker,
      async () => {
        throw new Error('must not be called');
      },
      new RunnerLog(undefined, () => {}),
    );
    await login.ensure('127.0.0.1:5000/kiln:x');
    expect(docker.calls).toEqual([]);
  });

  it('fails with the docker exit code when login fails', async () => {
    const docker = new FakeDocker().failing(['login'], 1);
    const login = new RegistryLogin(
      docker,
      async () => ({ username: 'AWS', password: 'pw-1234' }),
      new RunnerLog(undefined, () => {}),
    );
    await expect(login.ensure(`${ecr}/kiln`)).rejects.toThrow('docker login exited with code 1');
  });
});
