// Where `kiln build --secret` keeps a build's secrets: SSM SecureStrings under /kiln/secrets/<uuid>/.
// The user policy writes and deletes there, the build role reads and deletes there.
import { Aws } from 'aws-cdk-lib';
import { SECRET_PARAMETER_ROOT } from '../contract/infra-names';

/** `arn:…:parameter/kiln/secrets/*` (a parameter ARN drops the name's leading slash). */
export function secretParametersArn(): string {
  return `arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:parameter${SECRET_PARAMETER_ROOT}*`;
}

export const SECRET_PARAMETERS_FINDING = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter${SECRET_PARAMETER_ROOT}*]`;

export const SECRET_PARAMETERS_REASON = `Each build's secrets live under a fresh ${SECRET_PARAMETER_ROOT}<uuid>/ path chosen by the CLI at build time, so access is scoped to the ${SECRET_PARAMETER_ROOT} prefix and nothing else in Parameter Store.`;
