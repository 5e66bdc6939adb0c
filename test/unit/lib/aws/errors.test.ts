import { KilnError } from '../../../../contract/errors';
import { toKilnError } from '../../../../lib/aws/errors';
import { FakeAwsError } from '../../../helpers/fakes/fake-aws-error';

const context = { account: '123456789012', region: 'eu-west-1', profile: 'dev' };

function mapped(error: unknown) {
  const result = toKilnError(error, context);
  expect(result).toBeInstanceOf(KilnError);
  const { message, hint, exitCode } = result as KilnError;
  return { message, hint, exitCode };
}

function providerError(message: string) {
  return Object.assign(new Error(message), { name: 'CredentialsProviderError' });
}

test.each([
  ['NoSuchBucket', new FakeAwsError('NoSuchBucket', 'The specified bucket does not exist', 404)],
  [
    'ResourceNotFoundException',
    new FakeAwsError('ResourceNotFoundException', 'Project cannot be found: kiln'),
  ],
])('%s means the stack is not deployed here', (_, error) => {
  expect(mapped(error)).toEqual({
    message: 'kiln infrastructure not found in account 123456789012, region eu-west-1',
    hint: expect.stringContaining('npm run deploy-infra'),
    exitCode: 1,
  });
});

test('no credentials in the chain', () => {
  expect(mapped(providerError('Could not load credentials from any providers'))).toEqual({
    message: 'no AWS credentials found',
    hint: expect.stringContaining('--profile'),
    exitCode: 1,
  });
});

test('an expired SSO session says which login to run', () => {
  const error = providerError(
    'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.',
  );
  expect(mapped(error)).toEqual({
    message: 'the AWS SSO session has expired or is not logged in',
    hint: 'Run `aws sso login --profile dev` and try again.',
    exitCode: 1,
  });
});

test.each(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired'])('%s: credentials expired', (code) => {
  expect(
    mapped(new FakeAwsError(code, 'The security token included in the request is expired')).message,
  ).toBe('the AWS credentials have expired');
});

test.each(['InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch'])(
  '%s: credentials rejected',
  (code) => {
    expect(mapped(new FakeAwsError(code, 'bad')).message).toBe(
      'AWS rejected the credentials (unknown access key or bad secret)',
    );
  },
);

test.each(['AccessDenied', 'AccessDeniedException'])('%s: says where, what AWS said, and the fix', (code) => {
  const error = new FakeAwsError(
    code,
    'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: codebuild:StartBuild\nmore',
  );
  expect(mapped(error)).toEqual({
    message:
      'access denied by AWS in account 123456789012, region eu-west-1: User: arn:aws:iam::123456789012:user/dev is not authorized to perform: codebuild:StartBuild',
    hint: expect.stringContaining('--profile'),
    exitCode: 1,
  });
});

test('a connection failure names the network, not AWS permissions', () => {
  const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  expect(mapped(error).message).toBe('cannot reach AWS in eu-west-1: connect ECONNREFUSED 127.0.0.1:1');
});

test('KilnErrors pass through and unknown errors are left alone', () => {
  const kiln = new KilnError('already clear');
  expect(toKilnError(kiln, context)).toBe(kiln);
  const unknown = new Error('something else');
  expect(toKilnError(unknown, context)).toBe(unknown);
});
