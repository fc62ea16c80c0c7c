/** PostgreSQL SQLSTATE codes the domain turns into contract errors. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_EXCLUSION_VIOLATION = '23P01';
export const PG_CHECK_VIOLATION = '23514';
export const PG_INVALID_TEXT = '22P02';
/** A NUL character in text (invalid byte sequence 0x00). */
export const PG_UNTRANSLATABLE_CHARACTER = '22021';

export function pgErrorCode(error: unknown): string | undefined {
  const candidate = (error as { code?: unknown; driverError?: { code?: unknown } }) ?? {};
  const code = candidate.driverError?.code ?? candidate.code;
  return typeof code === 'string' ? code : undefined;
}

export function pgConstraint(error: unknown): string | undefined {
  const candidate = (error as { constraint?: unknown; driverError?: { constraint?: unknown } }) ?? {};
  const name = candidate.driverError?.constraint ?? candidate.constraint;
  return typeof name === 'string' ? name : undefined;
}

export function isViolationOf(error: unknown, constraint: string): boolean {
  const code = pgErrorCode(error);
  return (code === PG_EXCLUSION_VIOLATION || code === PG_UNIQUE_VIOLATION || code === PG_CHECK_VIOLATION) && pgConstraint(error) === constraint;
}
