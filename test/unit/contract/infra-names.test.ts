import { ecrRepositoryUri } from '../../../contract/infra-names';

test('the ECR repository URI uses the partition’s domain (amazonaws.com.cn in China regions)', () => {
  expect(ecrRepositoryUri('123456789012', 'us-east-1', 'kiln')).toBe(
    '123456789012.dkr.ecr.us-east-1.amazonaws.com/kiln',
  );
  expect(ecrRepositoryUri('123456789012', 'cn-north-1', 'apps/web')).toBe(
    '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/apps/web',
  );
});
