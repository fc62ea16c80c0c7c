import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { GqlArgumentsHost, GqlContextType, GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Response } from 'express';
import { AppError } from './app-error';
import { ErrorCode } from './error-code';
import { databaseRefusal } from '../../database/pg-errors';

const HTTP_STATUS: Record<ErrorCode, number> = {
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
    const { status, body } = httpError(exception);
    host.switchToHttp().getResponse<Response>().status(status).json(body);
  }
}

/** The status and JSON body of an error on the plain HTTP endpoints; never a stack trace. */
export function httpError(exception: unknown): { status: number; body: { error: string; message: string } } {
  if (exception instanceof AppError) return { status: HTTP_STATUS[exception.code], body: { error: exception.code, message: exception.message } };
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return { status, body: { error: status === 404 ? ErrorCode.NOT_FOUND : 'BAD_REQUEST', message: exception.message } };
  }
  const refusal = databaseRefusal(exception);
  if (refusal) return { status: 400, body: { error: ErrorCode.BAD_USER_INPUT, message: refusal.message } };
  console.error(exception);
  return { status: 500, body: { error: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on our side.' } };
}
