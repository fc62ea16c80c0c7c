// The house's spaces as the pages that name them need them: read again whenever a steward
// changes one live, so that a name shown follows a rename or a new translation without reload.
import { useEffect } from 'preact/hooks';
import { gql } from './api';
import { useLoad, type Loaded } from './hooks';
import { localName } from './i18n';
import { live } from './live';
import type { NamedThing } from './types';

/**
 * The spaces with `fields` (at least `id name names { lang text }`), again when a steward
 * creates or edits one (its name, hours or grid), or renames or translates a zone or a
 * training (shown with each space).
 */
export function useSpaces<T extends NamedThing>(fields: string): Loaded<T[]> {
  const list = useLoad(() => gql<{ resources: T[] }>(`query Resources { resources { ${fields} } }`).then((d) => d.resources), [fields]);
  useEffect(
    () =>
      live.on((ev) => {
        if (ev.type === 'resource.changed' || ev.type === 'zone.changed' || ev.type === 'qualification.changed') list.reload();
      }),
    [],
  );
  return list;
}

/**
 * A booking's space as the reader names it: as the space is now in `spaces` (renamed or
 * translated since the booking was fetched), else as fetched with the booking.
 */
export function spaceNamer(spaces: NamedThing[] | null): (space: NamedThing) => string {
  return (space) => localName(spaces?.find((x) => x.id === space.id) ?? space);
}
