// The runner's own SSM call, sent through a client recorded as the build role, so the IAM check
// (test/helpers/iam) proves the shipped build role may delete what it must.
import { DeleteParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { deleteSecretParameters, readUserSecrets } from '../../../../runner/credentials/user-secrets';
import { mockAwsClient } from '../../../helpers/iam/mocked-clients';

const ssmMock = mockAwsClient(SSMClient, 'build');
beforeEach(() => ssmMock.reset());

test('deletes the build’s parameters ten names per call, as the build role', async () => {
  ssmMock.on(DeleteParametersCommand).resolves({});
  const names = Array.from(
    { length: 12 },
    (_, index) => `/kiln/secrets/0b6c1a52-0000-4000-8000-000000000000/S${index}`,
  );
  await deleteSecretParameters('us-east-1', names);
  expect(ssmMock.commandCalls(DeleteParametersCommand).map((call) => call.args[0].input.Names)).toEqual([
    names.slice(0, 10),
    names.slice(10),
  ]);
});

test('nothing stored, nothing called', async () => {
  await deleteSecretParameters('us-east-1', []);
  expect(ssmMock.commandCalls(DeleteParametersCommand)).toHaveLength(0);
});

test('a secret with no value in the build’s environment is named in the error', () => {
  expect(() => readUserSecrets(['NPM_TOKEN'], {})).toThrow('secret NPM_TOKEN has no value');
  expect(readUserSecrets(['NPM_TOKEN'], { NPM_TOKEN: 'x' })).toEqual({ NPM_TOKEN: 'x' });
});
