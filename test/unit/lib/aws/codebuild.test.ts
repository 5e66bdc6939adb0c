import {
  BatchGetBuildsCommand,
  BatchGetProjectsCommand,
  type Build,
  CodeBuildClient,
  ListBuildsForProjectCommand,
  type Project,
} from '@aws-sdk/client-codebuild';
import {
  assertBuildProject,
  candidateProjects,
  findBuildByUuid,
  findProjectBuilds,
} from '../../../../lib/aws/codebuild';
import type { Infrastructure } from '../../../../lib/aws/infrastructure';
import { FakeAwsError } from '../../../helpers/fakes/fake-aws-error';
import { mockAwsClient } from '../../../helpers/iam/mocked-clients';

const codebuildMock = mockAwsClient(CodeBuildClient, 'cli');
const codebuild = new CodeBuildClient({ region: 'us-east-1' });

function build(id: string, kilnProject: string, minute: number): Build {
  return {
    id,
    startTime: new Date(Date.UTC(2026, 10, 23, 6, minute)),
    environment: {
      type: 'LINUX_CONTAINER',
      image: 'x',
      computeType: 'BUILD_GENERAL1_SMALL',
      environmentVariables: [{ name: 'KILN_PROJECT_NAME', value: kilnProject }],
    },
  };
}

beforeEach(() => codebuildMock.reset());

test('one CodeBuild project per architecture, named from the stack or remote.project', () => {
  expect(candidateProjects({})).toEqual(['kiln', 'kiln-arm64']);
  expect(candidateProjects({ project: 'builds' })).toEqual(['builds', 'builds-arm64']);
});

test('finds this project’s builds across architectures, newest first, skipping other projects', async () => {
  const builds = {
    'kiln:1': build('kiln:1', 'demo', 1),
    'kiln:2': build('kiln:2', 'other', 2),
    'kiln-arm64:3': build('kiln-arm64:3', 'demo', 3),
    'kiln:4': build('kiln:4', 'demo', 4),
  };
  codebuildMock
    .on(ListBuildsForProjectCommand, { projectName: 'kiln' })
    .resolves({ ids: ['kiln:4', 'kiln:2', 'kiln:1'] })
    .on(ListBuildsForProjectCommand, { projectName: 'kiln-arm64' })
    .resolves({ ids: ['kiln-arm64:3'] });
  codebuildMock.on(BatchGetBuildsCommand).callsFake(({ ids }: { ids: (keyof typeof builds)[] }) => ({
    builds: ids.map((id) => builds[id]),
  }));
  const found = await findProjectBuilds(codebuild, ['kiln', 'kiln-arm64'], 'demo', 2);
  expect(found?.map((each) => each.id)).toEqual(['kiln:4', 'kiln-arm64:3']);
});

test('an architecture that was never deployed is skipped; none deployed is undefined', async () => {
  codebuildMock
    .on(ListBuildsForProjectCommand, { projectName: 'kiln' })
    .resolves({ ids: [] })
    .on(ListBuildsForProjectCommand, { projectName: 'kiln-arm64' })
    .rejects(new FakeAwsError('ResourceNotFoundException', 'Project cannot be found'));
  expect(await findProjectBuilds(codebuild, ['kiln', 'kiln-arm64'], 'demo', 5)).toEqual([]);
  codebuildMock
    .on(ListBuildsForProjectCommand)
    .rejects(new FakeAwsError('ResourceNotFoundException', 'nope'));
  expect(await findProjectBuilds(codebuild, ['kiln', 'kiln-arm64'], 'demo', 5)).toBeUndefined();
});

test('an architecture a user policy from before kiln granted it denies is "not deployed"; denied everywhere is the denial', async () => {
  const denied = new FakeAwsError(
    'AccessDeniedException',
    'not authorized to perform: codebuild:ListBuildsForProject',
  );
  codebuildMock
    .on(ListBuildsForProjectCommand, { projectName: 'kiln' })
    .resolves({ ids: [] })
    .on(ListBuildsForProjectCommand, { projectName: 'kiln-arm64' })
    .rejects(denied);
  expect(await findProjectBuilds(codebuild, ['kiln', 'kiln-arm64'], 'demo', 5)).toEqual([]);
  codebuildMock.on(ListBuildsForProjectCommand).rejects(denied);
  await expect(findProjectBuilds(codebuild, ['kiln', 'kiln-arm64'], 'demo', 5)).rejects.toBe(denied);
});

test('a bare build UUID is looked up project by project, past one that is not deployed', async () => {
  codebuildMock
    .on(BatchGetBuildsCommand, { ids: ['kiln:u1'] })
    .rejects(new FakeAwsError('AccessDeniedException', 'denied'))
    .on(BatchGetBuildsCommand, { ids: ['kiln-arm64:u1'] })
    .resolves({ builds: [{ id: 'kiln-arm64:u1' }] });
  expect(await findBuildByUuid(codebuild, ['kiln', 'kiln-arm64'], 'u1')).toBe('kiln-arm64:u1');
});

describe("assertBuildProject: the project's timeouts (a stored secret expires after them)", () => {
  const infra = {
    account: '123456789012',
    region: 'us-east-1',
    project: 'kiln',
    architecture: 'x86_64',
  } as Infrastructure;
  const project = (extra: Partial<Project>) => ({
    projects: [
      {
        name: 'kiln',
        environment: { type: 'LINUX_CONTAINER', image: 'x', computeType: 'BUILD_GENERAL1_MEDIUM' },
        ...extra,
      } satisfies Project,
    ],
  });

  test('as the project sets them', async () => {
    codebuildMock
      .on(BatchGetProjectsCommand)
      .resolves(project({ timeoutInMinutes: 45, queuedTimeoutInMinutes: 120 }));
    expect(await assertBuildProject(codebuild, infra)).toEqual({ queuedMinutes: 120, buildMinutes: 45 });
  });

  test("CodeBuild's defaults (8 h queued, 1 h running) when it sets none", async () => {
    codebuildMock.on(BatchGetProjectsCommand).resolves(project({}));
    expect(await assertBuildProject(codebuild, infra)).toEqual({ queuedMinutes: 480, buildMinutes: 60 });
  });

  test('unknown when a user policy from before kiln looked projects up denies it', async () => {
    codebuildMock.on(BatchGetProjectsCommand).rejects(new FakeAwsError('AccessDeniedException', 'denied'));
    expect(await assertBuildProject(codebuild, infra)).toBeUndefined();
  });
});
