// A reserved-capacity CodeBuild fleet (kiln:fleetCapacity): machines that stay provisioned, so a
// build starts at once instead of after CodeBuild's on-demand provisioning. One fleet per
// architecture, of the projects' compute type; billed while it exists, busy or idle.
import {
  type ComputeType,
  EnvironmentType,
  Fleet,
  FleetComputeType,
  type FleetOverflowBehavior,
  type IFleet,
} from 'aws-cdk-lib/aws-codebuild';
import type { Construct } from 'constructs';
import type { Architecture } from '../contract/config-schema';

/** The fleet's environment type must be the build image's (CodeBuild's standard images are containers). */
const ENVIRONMENT_TYPES: Record<Architecture, EnvironmentType> = {
  x86_64: EnvironmentType.LINUX_CONTAINER,
  arm64: EnvironmentType.ARM_CONTAINER,
};

export interface ReservedFleetProps {
  fleetName: string;
  architecture: Architecture;
  computeType: ComputeType;
  baseCapacity: number;
  overflowBehavior: FleetOverflowBehavior;
}

export function reservedFleet(scope: Construct, id: string, props: ReservedFleetProps): IFleet {
  // The project compute types kiln accepts are the fleet's general-purpose types, value for value.
  const computeType = Object.values(FleetComputeType).find((type) => String(type) === props.computeType);
  if (computeType === undefined) throw new Error(`no fleet compute type for ${props.computeType}`);
  return new Fleet(scope, id, {
    fleetName: props.fleetName,
    computeType,
    environmentType: ENVIRONMENT_TYPES[props.architecture],
    baseCapacity: props.baseCapacity,
    overflowBehavior: props.overflowBehavior,
  });
}
