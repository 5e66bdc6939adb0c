// Jest global setup: synthesizes the stack's policies once per run for every test file's IAM check.
import { POLICIES_VARIABLE, synthesizePolicies } from './shipped-policies';

export default function synthesizeShippedPolicies(): void {
  process.env[POLICIES_VARIABLE] = JSON.stringify(synthesizePolicies());
}
