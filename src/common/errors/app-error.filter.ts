import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { GqlArgumentsHost, GqlContextType, GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Response } from 'express';
import { AppError } from './app-error';
import { ErrorCode } from './error-code';

/** The HTTP status of each error code on the plain HTTP endpoints. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  QUOTA_EXCEEDED: 409,
  QUALIFICATION_REQUIRED: 403,
  OUTSIDE_OPENING_HOURS: 400,
  INVALID_STATE: 409,
};

/**
 * Maps AppError codes to GraphQL extensions.code, and to an HTTP status with a JSON
 * body on the plain HTTP endpoints. Other errors pass on to formatGraphqlError.
 */
@Catch()
export class AppErrorFilter implements GqlExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType<GqlContextType>() === 'graphql') {
      GqlArgumentsHost.create(host);
      if (exception instanceof AppError) {
        return new GraphQLError(exception.message, {
          originalError: exception,
          extensions: { ...exception.extensions, code: exception.code },
        });
      }
      return exception;
    }
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof AppError) {
      response.status(HTTP_STATUS[exception.code]).json({ error: exception.code, message: exception.message });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      response.status(status).json({ error: status === 404 ? ErrorCode.NOT_FOUND : 'BAD_REQUEST', message: exception.message });
      return;
    }
    console.error(exception);
    response.status(500).json({ error: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on our side.' });
  }
}
