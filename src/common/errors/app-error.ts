import { ErrorCode } from './error-code';

/**
 * The one exception domain code throws. Its message is shown to people as is, so it
 * is short and plain; `extensions` carries machine-readable details (e.g. conflicts).
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  static unauthenticated(message = 'Please log in.') {
    return new AppError(ErrorCode.UNAUTHENTICATED, message);
  }
  static forbidden(message = 'You are not allowed to do this.') {
    return new AppError(ErrorCode.FORBIDDEN, message);
  }
  static badInput(message: string, extensions: Record<string, unknown> = {}) {
    return new AppError(ErrorCode.BAD_USER_INPUT, message, extensions);
  }
  /** A name, handle or e-mail someone else has: told apart from a malformed value, so a form can say which. */
  static taken(message: string, field: string) {
    return new AppError(ErrorCode.BAD_USER_INPUT, message, { field, reason: 'TAKEN' });
  }
  static notFound(what: string) {
    return new AppError(ErrorCode.NOT_FOUND, `${what} not found.`);
  }
  static invalidState(message: string) {
    return new AppError(ErrorCode.INVALID_STATE, message);
  }
}
