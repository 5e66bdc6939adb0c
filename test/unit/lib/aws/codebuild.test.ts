import {
  BatchGetBuildsCommand,
  type Build,
  CodeBuildClient,
  ListBuildsForProjectCommand,
} from '@aws-sdk/client-codebuild';
import { mockClient } from 'aws-sdk-client-mock';
import { candidateProjects, findProjectBuilds } from '../../../../lib/aws/codebuild';
import { FakeAwsError } from '../../../helpers/fakes/fake-aws-error';

const codebuildMock = mockClient(CodeBuildClient);
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
