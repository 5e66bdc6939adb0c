// The kiln repository's lifecycle rules. One repository holds every project's images, and ECR cannot
// tell which image a service runs (a long-running task or a Lambda function pulls rarely), so no rule
// may expire a tagged image by default: only untagged ones expire (superseded cache manifests, tags
// moved to a newer build, dangling layers). `kiln:maxImages` opts in to a count limit on tagged
// images; the cache manifests (`cache-*`) stay out of it: ECR applies each image to the first rule
// whose tag selection it matches, so a `cache-*` rule placed earlier, with a count no repository
// reaches, keeps them from the count rule. The `kiln-input-*` tag sits on every built image, so under
// the opt-in an old one may go; the unchanged-build lookup then misses and kiln builds again.
import { Duration } from 'aws-cdk-lib';
import { type LifecycleRule, TagStatus } from 'aws-cdk-lib/aws-ecr';
import type { KilnContext } from './context';

/** More cache manifests than any repository holds (one per project, architecture and stage). */
const CACHE_MANIFESTS_KEPT = 9999;

export function repositoryLifecycleRules(
  context: Pick<KilnContext, 'untaggedImageDays' | 'maxImages'>,
): LifecycleRule[] {
  const untagged: LifecycleRule = {
    rulePriority: 1,
    description: `Expire untagged images after ${context.untaggedImageDays} days`,
    tagStatus: TagStatus.UNTAGGED,
    maxImageAge: Duration.days(context.untaggedImageDays),
  };
  if (context.maxImages === undefined) return [untagged];
  return [
    untagged,
    {
      rulePriority: 2,
      description: 'Build cache manifests (cache-*): kept out of the count rule below',
      tagStatus: TagStatus.TAGGED,
      tagPatternList: ['cache-*'],
      maxImageCount: CACHE_MANIFESTS_KEPT,
    },
    {
      rulePriority: 3,
      description: `Keep the newest ${context.maxImages} images (kiln:maxImages)`,
      tagStatus: TagStatus.ANY,
      maxImageCount: context.maxImages,
    },
  ];
}
