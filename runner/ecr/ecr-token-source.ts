// The real EcrTokenSource: ECR GetAuthorizationToken with the build's own credentials.
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { KilnError } from '../../contract/errors';
import type { EcrTokenSource } from './registry-login';

export const ecrTokenSource: EcrTokenSource = async (region) => {
  const response = await new ECRClient({ region }).send(new GetAuthorizationTokenCommand({}));
  const token = response.authorizationData?.[0]?.authorizationToken;
  if (!token) throw new KilnError(`ECR returned no authorization token in ${region}`);
  // The token is base64 of `AWS:<password>`.
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
};
