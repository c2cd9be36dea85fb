/**
 * Errors the API answers with. `code` is the AWS error name: the JSON 1.0 body carries it as
 * `__type`, and `@aws-sdk/client-sfn` turns it into the exception class of the same name
 * (`TaskTimedOut`, `ExecutionDoesNotExist`, …), so callers can `instanceof` them as on AWS.
 */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const validationError = (message: string): ServiceError =>
  new ServiceError('ValidationException', message);
