// `cdk synth` / `npm run deploy-infra` entry point: one kiln stack, options from `kiln:*` context.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { KilnError } from '../contract/errors';
import { STACK_NAME } from '../contract/infra-names';
import { contextOf } from './context';
import { KilnStack } from './kiln-stack';

try {
  const app = new App();
  new KilnStack(app, STACK_NAME, {
    description:
      'kiln: remote Docker image builds on CodeBuild (source bucket, ECR repository, projects, logs)',
    context: contextOf(app),
  });
  // Every synth and deploy is checked: an unacknowledged AwsSolutions finding stops it.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
} catch (error) {
  if (!(error instanceof KilnError)) throw error;
  // A bad context option is a usage error: the message and the fix, no stack trace.
  console.error(`kiln: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}`);
  process.exit(error.exitCode);
}
