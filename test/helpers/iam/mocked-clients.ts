// aws-sdk-client-mock for kiln's tests, recording every command sent through a mocked client for the
// IAM check (the mock answers before the SDK's middleware, so nothing else can see these calls).
import type { Client, MetadataBearer } from '@smithy/types';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { type Principal, recordAwsCall } from './recorded-calls';

/** IAM service prefix of each SDK client kiln uses. */
const SERVICES: Record<string, string> = {
  CodeBuildClient: 'codebuild',
  CloudWatchLogsClient: 'logs',
  ECRClient: 'ecr',
  S3Client: 's3',
  SSMClient: 'ssm',
  STSClient: 'sts',
};

type Stub = { calls(): { args: unknown[] }[]; reset(): unknown; restore(): unknown };
const tracked: { stub: Stub; service: string; principal: Principal; seen: number }[] = [];

/** `mockClient(Client)` whose calls are checked as `principal` (the CLI user or the build role). */
export function mockAwsClient<TInput extends object, TOutput extends MetadataBearer, TConfiguration>(
  client: { name: string; prototype: Client<TInput, TOutput, TConfiguration> },
  principal: Principal,
): AwsStub<TInput, TOutput, TConfiguration> {
  const service = SERVICES[client.name];
  if (!service) throw new Error(`mockAwsClient: no IAM service prefix for ${client.name}; add one`);
  const stub = mockClient(client);
  const entry = { stub: stub as unknown as Stub, service, principal, seen: 0 };
  tracked.push(entry);
  // reset/restore drop the call history: record it first.
  for (const method of ['reset', 'restore'] as const) {
    const original = stub[method].bind(stub);
    Object.assign(stub, {
      [method]: () => {
        recordMockedCalls();
        entry.seen = 0;
        return original();
      },
    });
  }
  return stub;
}

/** Records the commands sent through mocked clients since the last call. */
export function recordMockedCalls(): void {
  for (const entry of tracked) {
    const calls = entry.stub.calls();
    for (const { args } of calls.slice(entry.seen)) {
      const command = args[0] as { constructor: { name: string }; input: object };
      recordAwsCall(
        entry.principal,
        entry.service,
        command.constructor.name.replace(/Command$/, ''),
        command.input,
      );
    }
    entry.seen = calls.length;
  }
}
