// The repository's lifecycle with kiln:maxImages (opt-in): the count rule never reaches the cache
// manifests, because ECR gives each image to the first rule whose tag selection it matches.
import { synthesize } from './synth';

test('kiln:maxImages adds a count rule on images after a cache-* rule no repository reaches', () => {
  const { template } = synthesize({ 'kiln:maxImages': '20' });
  const [repository] = Object.values(template.findResources('AWS::ECR::Repository'));
  const { rules } = JSON.parse(repository?.Properties.LifecyclePolicy.LifecyclePolicyText);
  expect(
    rules.map((rule: { rulePriority: number; selection: unknown }) => [rule.rulePriority, rule.selection]),
  ).toEqual([
    [1, { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 7, countUnit: 'days' }],
    [
      2,
      {
        tagStatus: 'tagged',
        tagPatternList: ['cache-*'],
        countType: 'imageCountMoreThan',
        countNumber: 9999,
      },
    ],
    [3, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 20 }],
  ]);
});
