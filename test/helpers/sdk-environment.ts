// Tests build AWS SDK clients directly (mocked or against loopback fakes), not through
// lib/aws/clients.ts, which turns off the SDK's notice that future releases need Node 22: kiln pins its
// SDK versions and supports Node 20, so the notice would print once per test file for nothing.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
