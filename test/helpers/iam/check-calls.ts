// Jest setup (every project): after each test, every AWS call it made through the fakes or mocked
// clients must be allowed by the policies the stack ships; a denied call fails the test.
import { recordMockedCalls } from './mocked-clients';
import { deniedCalls, describeDenied } from './policy-check';
import { takeRecordedCalls } from './recorded-calls';
import { shippedPolicies } from './shipped-policies';

async function checkRecordedCalls(): Promise<void> {
  recordMockedCalls();
  const calls = takeRecordedCalls();
  if (calls.length === 0) return;
  const denied = await deniedCalls(calls, shippedPolicies());
  if (denied.length > 0) throw new Error(describeDenied(denied));
}

afterEach(checkRecordedCalls);
afterAll(checkRecordedCalls);
