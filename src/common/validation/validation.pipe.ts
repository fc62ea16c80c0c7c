import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError } from '../errors/app-error';

function describe(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...describe(error.children ?? [], path)];
  });
}

/** Input limits (lengths, list sizes, ranges) declared on input classes; refusals are BAD_USER_INPUT. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: false,
    forbidUnknownValues: false,
    validateCustomDecorators: false,
    exceptionFactory: (errors) => AppError.badInput(describe(errors).join('; ') || 'Invalid input.'),
  });
}
