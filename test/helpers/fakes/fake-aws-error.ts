// An AWS service error as the SDK surfaces it (`name` is the error code), thrown by the fake models;
// the loopback server turns it into the service's wire format.
export class FakeAwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}
