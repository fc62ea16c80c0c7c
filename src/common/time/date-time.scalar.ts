import { CustomScalar, Scalar } from '@nestjs/graphql';
import { Kind, ValueNode } from 'graphql';
import { AppError } from '../errors/app-error';
import { formatInstant } from './site-time';

// An offset is mandatory: a bare local time is ambiguous twice a year in Brussels.
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseInstant(value: unknown): Date {
  if (typeof value !== 'string' || value.length > 40) {
    throw AppError.badInput('A date-time must be an ISO 8601 string with an offset, e.g. 2027-03-02T18:00:00+01:00.');
  }
  const match = ISO_WITH_OFFSET.exec(value);
  if (!match) {
    throw AppError.badInput(`"${value}" is not an ISO 8601 date-time with an offset (e.g. 2027-03-02T18:00:00+01:00).`);
  }
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const instant = new Date(value);
  const valid =
    !Number.isNaN(instant.getTime()) && month >= 1 && month <= 12 && day >= 1 && day <= 31 &&
    hour <= 23 && minute <= 59 && (Number.isNaN(second) || second <= 59) && year >= 1970 && year <= 9999;
  if (!valid) throw AppError.badInput(`"${value}" is not a valid date-time.`);
  return instant;
}

@Scalar('DateTime', () => Date)
export class DateTimeScalar implements CustomScalar<string, Date> {
  description = 'ISO 8601 instant with an offset, e.g. 2027-03-02T18:00:00+01:00. Values without an offset are refused.';

  parseValue(value: unknown): Date {
    return parseInstant(value);
  }

  serialize(value: unknown): string {
    if (value instanceof Date) return formatInstant(value);
    if (typeof value === 'string') return formatInstant(new Date(value));
    throw new Error('DateTime cannot represent a non-date value');
  }

  parseLiteral(ast: ValueNode): Date {
    if (ast.kind !== Kind.STRING) throw AppError.badInput('A date-time must be a string.');
    return parseInstant(ast.value);
  }
}
