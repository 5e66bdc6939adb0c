// Every AWS call a test makes through kiln's code, as IAM sees it: who asks (the CLI user or the
// CodeBuild build role), which action, on which resource ARN. The fakes and the mocked clients record
// here; check-calls.ts evaluates each against the policies the stack ships.
/** `cli`: the user policy (kiln commands); `build`: the build role (runner, CodeBuild itself). */
export type Principal = 'cli' | 'build';

export interface AwsCall {
  principal: Principal;
  action: string;
  resource: string;
}

/** The fakes' account and region: the stack the check synthesizes is "deployed" there. */
export const FAKE_ACCOUNT = '123456789012';
export const FAKE_REGION = 'us-east-1';

const recorded: AwsCall[] = [];

export function recordAwsCall(principal: Principal, service: string, operation: string, input: object): void {
  for (const call of callsOf(service, operation, input as Record<string, unknown>)) {
    recorded.push({ principal, ...call });
  }
}

const expectedDenials: string[] = [];

/**
 * For a test of what kiln says to a user outside the shipped policy (another region's bucket, a
 * project nobody deployed): calls on resources starting with `resourcePrefix` may be denied.
 */
export function expectDenied(resourcePrefix: string): void {
  expectedDenials.push(resourcePrefix);
}

/** The calls recorded since the last take, without those the test expects to be denied. */
export function takeRecordedCalls(): AwsCall[] {
  const prefixes = expectedDenials.splice(0);
  return recorded.splice(0).filter((call) => !prefixes.some((prefix) => call.resource.startsWith(prefix)));
}

/** S3 operations are authorized as these actions (https://docs.aws.amazon.com/AmazonS3/latest/API/). */
const S3_ACTIONS: Record<string, string> = {
  HeadObject: 's3:GetObject',
  HeadBucket: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  ListParts: 's3:ListMultipartUploadParts',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
};

/** Calls that need no permission at all. */
const UNAUTHORIZED_OPERATIONS = new Set(['sts:GetCallerIdentity']);

function arn(service: string, resource: string): string {
  return `arn:aws:${service}:${FAKE_REGION}:${FAKE_ACCOUNT}:${resource}`;
}

/** A build id is `<project>:<uuid>` (or its full build ARN); IAM authorizes build calls on the project. */
function projectOfBuild(id: string): string {
  const match = /(?:build\/)?([^:/]+):[^:]+$/.exec(id);
  return match ? match[1]! : id;
}

function callsOf(
  service: string,
  operation: string,
  input: Record<string, unknown>,
): Omit<AwsCall, 'principal'>[] {
  if (UNAUTHORIZED_OPERATIONS.has(`${service}:${operation}`)) return [];
  const string = (key: string) => input[key] as string;
  switch (service) {
    case 'codebuild': {
      const projects =
        operation === 'BatchGetBuilds'
          ? ((input.ids as string[]) ?? []).map(projectOfBuild)
          : operation === 'StopBuild'
            ? [projectOfBuild(string('id'))]
            : operation === 'BatchGetProjects'
              ? ((input.names as string[]) ?? [])
              : [string('projectName').replace(/^arn:.*:project\//, '')];
      return [...new Set(projects)].map((project) => ({
        action: `codebuild:${operation}`,
        resource: arn('codebuild', `project/${project}`),
      }));
    }
    case 'logs':
      return [
        {
          action: `logs:${operation}`,
          resource: arn(
            'logs',
            input.logStreamName
              ? `log-group:${string('logGroupName')}:log-stream:${string('logStreamName')}`
              : `log-group:${string('logGroupName')}:*`,
          ),
        },
      ];
    case 's3': {
      const key = input.Key === undefined ? '' : `/${string('Key')}`;
      return [
        {
          action: S3_ACTIONS[operation] ?? `s3:${operation}`,
          resource: `arn:aws:s3:::${string('Bucket')}${key}`,
        },
      ];
    }
    case 'ecr':
      return [
        {
          action: `ecr:${operation}`,
          resource:
            operation === 'GetAuthorizationToken'
              ? '*'
              : arn('ecr', `repository/${string('repositoryName')}`),
        },
      ];
    case 'ssm': {
      const names = (input.Names as string[] | undefined) ?? [string('Name')];
      return names.map((name) => ({ action: `ssm:${operation}`, resource: arn('ssm', `parameter${name}`) }));
    }
    default:
      throw new Error(`recordAwsCall: no IAM mapping for ${service}:${operation}; add one`);
  }
}
