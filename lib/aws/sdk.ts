// The AWS SDK packages that only some runs of a command need, loaded on first use: a build found
// unchanged in ECR follows no log and stores no secret, and these two packages are a noticeable part
// of its start-up (docs/benchmarks.md, unchanged re-run). Every other SDK package is imported as
// usual; code that needs one of these two gets it here, so the choice is made in one place.

export function cloudWatchLogsSdk(): typeof import('@aws-sdk/client-cloudwatch-logs') {
  return require('@aws-sdk/client-cloudwatch-logs');
}

export function ssmSdk(): typeof import('@aws-sdk/client-ssm') {
  return require('@aws-sdk/client-ssm');
}
