import { CustomScalar, Scalar } from '@nestjs/graphql';
import { Kind, ValueNode } from 'graphql';
import { DateTime } from 'luxon';
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
  // luxon refuses impossible dates (30 February) that Date would silently roll over.
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid || parsed.year < 1970) throw AppError.badInput(`"${value}" is not a valid date-time.`);
  return parsed.toJSDate();
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
