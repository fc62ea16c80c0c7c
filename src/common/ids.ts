const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot name a row, so lookups answer "not found" without asking SQL. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * A UUID as the database writes it (lower case), for ids that become keys outside SQL (rooms,
 * locks, maps): the database takes capitals for the same row, so such keys must as well.
 */
export function uuidKey(id: string): string {
  return id.toLowerCase();
}
