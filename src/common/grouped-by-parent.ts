/**
 * Rows read for many parents at once, as one list per parent in the order given (an empty
 * list for a parent without any): the shape a request loader maps back to each parent.
 */
export function groupedByParent<T>(parentIds: string[], rows: T[], parentOf: (row: T) => string): Array<{ id: string; items: T[] }> {
  const groups = new Map(parentIds.map((id) => [id, [] as T[]]));
  for (const row of rows) groups.get(parentOf(row))?.push(row);
  return [...groups].map(([id, items]) => ({ id, items }));
}
