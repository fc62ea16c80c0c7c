/** PostgreSQL SQLSTATE codes the domain turns into contract errors. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_EXCLUSION_VIOLATION = '23P01';
export const PG_CHECK_VIOLATION = '23514';
export const PG_INVALID_TEXT = '22P02';
/** A NUL character in text (invalid byte sequence 0x00). */
export const PG_UNTRANSLATABLE_CHARACTER = '22021';
/** A \u escape that jsonb cannot store (\u0000, or half of a UTF-16 pair). */
export const PG_UNTRANSLATABLE_ESCAPE = '22P05';

/** Unique indexes whose violation means "already taken" (the same words as the services' own checks). */
const TAKEN: Record<string, { message: string; field: string }> = {
  person_handle_key: { message: 'This name for logging in is already taken. Choose another.', field: 'handle' },
  person_email_key: { message: 'This e-mail address is already used by someone else.', field: 'email' },
  collective_name_key: { message: 'A collective with this name already exists.', field: 'name' },
  qualification_name_key: { message: 'This qualification already exists.', field: 'name' },
  zone_name_key: { message: 'A zone with this name already exists.', field: 'name' },
  resource_name_key: { message: 'A resource with this name already exists.', field: 'name' },
};

/**
 * Input that passed the declared limits but not the database's own checks, as the message a
 * client gets with BAD_USER_INPUT (or 400); null for any other error. Each request that
 * writes is one transaction, so nothing was written.
 */
export function databaseRefusal(error: unknown): { message: string; constraint?: string; field?: string; reason?: 'TAKEN' } | null {
  switch (pgErrorCode(error)) {
    case PG_UNIQUE_VIOLATION: {
      // The services check these first; the index still decides between two requests at once.
      const taken = TAKEN[pgConstraint(error) ?? ''];
      return taken ? { ...taken, reason: 'TAKEN' } : null;
    }
    case PG_INVALID_TEXT:
      return { message: 'A value has the wrong format (an id, a number, or a text with a broken character).' };
    case PG_UNTRANSLATABLE_CHARACTER:
    case PG_UNTRANSLATABLE_ESCAPE:
      return { message: 'A text contains a character that cannot be stored (such as the NUL character).' };
    case PG_CHECK_VIOLATION:
      return { message: 'A value is outside the allowed limits (a text too long, for instance).', constraint: pgConstraint(error) };
    default:
      return null;
  }
}

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
