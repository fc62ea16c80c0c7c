import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError } from '../errors/app-error';

function refusals(errors: ValidationError[], prefix = ''): Array<{ field: string; message: string }> {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...refusals(error.children ?? [], field)];
  });
}

/** Like the services' own refusals, the field is named (the first one, and all of them), so a form can point at it. */
function refusal(errors: ValidationError[]): AppError {
  const found = refusals(errors);
  if (found.length === 0) return AppError.badInput('Invalid input.');
  const fields = [...new Set(found.map((r) => r.field))];
  return AppError.badInput(found.map((r) => `${r.field}: ${r.message}`).join('; '), { field: fields[0], fields });
}

/** Input limits (lengths, list sizes, ranges) declared on input classes; refusals are BAD_USER_INPUT. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: false,
    forbidUnknownValues: false,
    validateCustomDecorators: false,
    exceptionFactory: refusal,
  });
}
