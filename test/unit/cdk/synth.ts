// Synthesizes the kiln stack the way cdk/app.ts does, with `kiln:*` context as `-c` would pass it.
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { contextOf } from '../../../cdk/context';
import { KilnStack } from '../../../cdk/kiln-stack';
import { STACK_NAME } from '../../../contract/infra-names';

export interface Synthesized {
  stack: KilnStack;
  template: Template;
  /** Logical id of the resource at a construct path below the stack, e.g. `BuildRole/Role`. */
  logicalId(path: string): string;
}

export function synthesize(context: Record<string, unknown> = {}): Synthesized {
  const app = new App({ context });
  const stack = new KilnStack(app, STACK_NAME, { context: contextOf(app) });
  return {
    stack,
    template: Template.fromStack(stack),
    logicalId: (path) => {
      const construct = stack.node.findAll().find((node) => node.node.path === `${STACK_NAME}/${path}`);
      if (!construct) throw new Error(`no construct at ${path}`);
      return stack.getLogicalId(construct.node.defaultChild as CfnElement);
    },
  };
}
