import { Fragment } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, gql } from '../api';
import { HouseNameField, NameRow, OtherNames, OtherNamesLine, nameRefused, nameRows, namesInput, namesRefused, useHouseNameForm } from '../components/other-names';
import { Button, ErrorBox, FieldError, Msg, Spinner, focusForm, tb } from '../components/ui';
import { useLoad } from '../hooks';
import { NAMES, byLocalName, localName, t, ti, type LocalizedName } from '../i18n';
import { Icon } from '../icons';
import { Store, useStore } from '../store';
import { fmtLength, lang, weekdayNames } from '../time';
import type { NamedThing, Resource, TariffTier } from '../types';
import { trainingsChanged } from './steward-people';

type Kind = Resource['kind'];
const KINDS: Kind[] = ['ROOM', 'KITCHEN', 'WORKSHOP', 'COWORKING', 'STORAGE'];
const TIERS: TariffTier[] = ['SOLIDARITY', 'REDUCED', 'STANDARD'];
/** Grids that divide a day; the server accepts any such, these are the ones a house uses. */
const GRIDS = [15, 30, 60];

interface Zone {
  id: string;
  name: string;
  names: LocalizedName[];
  openToMembersAnytime: boolean;
}

/** Bumped when a zone is created or changed: other lists of zones on the page (the doors') load again. */
export const zonesChanged = new Store(0);

interface Space extends Omit<Resource, 'zone' | 'requiredQualification' | 'rates' | 'requiresApproval' | 'names'> {
  names: LocalizedName[];
  zone: NamedThing;
  requiredQualification: NamedThing | null;
  requiresApproval: boolean;
  rates: { tier: TariffTier; centsPerHour: number }[];
}

const SPACE_FIELDS = `id name ${NAMES} kind capacity slotMinutes minMinutes maxMinutes bufferMinutes requiresApproval
  zone { id name ${NAMES} } requiredQualification { id name ${NAMES} } openingHours { weekday opens closes } rates { tier centsPerHour }`;

interface Hours {
  weekday: number;
  /** As typed: "9", "930", "9h30" and "09:30" are all half past nine; closing may be "24:00". */
  opens: string;
  closes: string;
}

interface Draft {
  name: string;
  /** The name in other languages, a field each. */
  names: NameRow[];
  kind: Kind;
  zoneId: string;
  capacity: string;
  slotMinutes: number;
  minMinutes: string;
  maxMinutes: string;
  bufferMinutes: string;
  requiredQualificationId: string;
  requiresApproval: boolean;
  hours: Hours[];
  /** Euros per hour as typed ("4,50"); empty: no rate for that tier. */
  rates: Record<TariffTier, string>;
}

/**
 * Minutes since midnight of a wall-clock time typed on a phone's number pad (no ":" there),
 * the house's 24-hour way; null when it is not one. 24:00 only closes.
 */
function minutesOf(typed: string, closing: boolean): number | null {
  const m = /^(\d{1,2})(?:[:hH.]?(\d{2}))?$/.exec(typed.trim().replace(/\s/g, ''));
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2] ?? 0);
  if (Number(m[2] ?? 0) > 59) return null;
  return minutes < 1440 || (closing && minutes === 1440) ? minutes : null;
}

const clockOf = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** As a person types it here: "12,50" in French (the field takes a dot or a comma). */
const euros = (cents: number) => (cents / 100).toFixed(2).replace(/\.00$/, '').replace('.', lang() === 'fr' ? ',' : '.');

function draftOf(space: Space | null, zones: Zone[]): Draft {
  if (!space) {
    return {
      name: '',
      names: nameRows([]),
      kind: 'ROOM',
      zoneId: zones.length === 1 ? zones[0].id : '',
      capacity: '10',
      slotMinutes: 30,
      minMinutes: '60',
      maxMinutes: '240',
      bufferMinutes: '0',
      requiredQualificationId: '',
      requiresApproval: false,
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '09:00', closes: '22:00' })),
      rates: { SOLIDARITY: '0', REDUCED: '', STANDARD: '' },
    };
  }
  const rate = (tier: TariffTier) => space.rates.find((r) => r.tier === tier);
  return {
    name: space.name,
    names: nameRows(space.names),
    kind: space.kind,
    zoneId: space.zone.id,
    capacity: String(space.capacity),
    slotMinutes: space.slotMinutes,
    minMinutes: String(space.minMinutes),
    maxMinutes: String(space.maxMinutes),
    bufferMinutes: String(space.bufferMinutes),
    requiredQualificationId: space.requiredQualification?.id ?? '',
    requiresApproval: space.requiresApproval,
    hours: space.openingHours.map((h) => ({ weekday: h.weekday, opens: h.opens, closes: h.closes })),
    rates: Object.fromEntries(TIERS.map((tier) => [tier, rate(tier) ? euros(rate(tier)!.centsPerHour) : ''])) as Record<TariffTier, string>,
  };
}

const wholeNumber = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : NaN);
const centsOf = (s: string) => (/^\d+([.,]\d{1,2})?$/.test(s.trim()) ? Math.round(Number(s.trim().replace(',', '.')) * 100) : NaN);

/** What is wrong with the draft, by field, as translation keys with their values; empty when it can be sent. */
function problemsOf(d: Draft): Record<string, [string, Record<string, string | number>?]> {
  const p: Record<string, [string, Record<string, string | number>?]> = {};
  if (d.name.trim() === '') p.name = ['spaces.nameMissing'];
  if (!d.zoneId) p.zone = ['spaces.zoneMissing'];
  const capacity = wholeNumber(d.capacity);
  if (!(capacity >= 1 && capacity <= 10000)) p.capacity = ['spaces.capacityInvalid'];
  const [min, max, buffer] = [wholeNumber(d.minMinutes), wholeNumber(d.maxMinutes), wholeNumber(d.bufferMinutes)];
  const slot = fmtLength(d.slotMinutes);
  if (!(min > 0) || min % d.slotMinutes !== 0) p.minMinutes = ['spaces.onGrid', { slot }];
  if (!(max > 0) || max % d.slotMinutes !== 0 || max > 44640) p.maxMinutes = ['spaces.onGrid', { slot }];
  else if (min > max) p.maxMinutes = ['spaces.maxUnderMin'];
  if (!(buffer >= 0 && buffer <= 1440)) p.bufferMinutes = ['spaces.bufferInvalid'];
  const spans = d.hours.map((h) => ({ weekday: h.weekday, opens: minutesOf(h.opens, false), closes: minutesOf(h.closes, true) }));
  spans.forEach((h, i) => {
    if (h.opens === null || h.closes === null) p[`hours${i}`] = ['spaces.hoursFormat'];
    else if (h.closes <= h.opens) p[`hours${i}`] = ['spaces.hoursOrder'];
    else if (spans.some((o, j) => j < i && o.weekday === h.weekday && o.opens !== null && o.closes !== null && o.opens < h.closes! && h.opens! < o.closes)) {
      p[`hours${i}`] = ['spaces.hoursOverlap'];
    }
  });
  for (const tier of TIERS) if (d.rates[tier].trim() !== '' && !(centsOf(d.rates[tier]) <= 1_000_000)) p[`rate${tier}`] = ['spaces.rateInvalid'];
  return p;
}

function inputOf(d: Draft) {
  return {
    name: d.name.trim(),
    names: namesInput(d.names),
    kind: d.kind,
    zoneId: d.zoneId,
    capacity: wholeNumber(d.capacity),
    slotMinutes: d.slotMinutes,
    minMinutes: wholeNumber(d.minMinutes),
    maxMinutes: wholeNumber(d.maxMinutes),
    bufferMinutes: wholeNumber(d.bufferMinutes),
    requiredQualificationId: d.requiredQualificationId || null,
    requiresApproval: d.requiresApproval,
    openingHours: d.hours.map((h) => ({ weekday: h.weekday, opens: clockOf(minutesOf(h.opens, false)!), closes: clockOf(minutesOf(h.closes, true)!) })),
    rates: TIERS.filter((tier) => d.rates[tier].trim() !== '').map((tier) => ({ tier, centsPerHour: centsOf(d.rates[tier]) })),
  };
}

/** The house's spaces: a steward creates one, or changes one (hours for the summer, a new rate, another room). */
export function SpacesPanel() {
  // Again when a training is added, renamed or translated (the form offers them).
  const trainingsVersion = useStore(trainingsChanged);
  const data = useLoad(
    () =>
      gql<{ resources: Space[]; zones: Zone[]; qualifications: NamedThing[] }>(
        `query Spaces { resources { ${SPACE_FIELDS} } zones { id name ${NAMES} openToMembersAnytime } qualifications { id name ${NAMES} } }`,
      ),
    [trainingsVersion],
  );
  const [editing, setEditing] = useState<Space | 'new' | null>(null);
  const [saved, setSaved] = useState<{ name: string; edited: boolean } | null>(null);
  // In the order of the names the reader sees (the server sorts by the house's names).
  const spaces = [...(data.data?.resources ?? [])].sort(byLocalName);

  return (
    <section class="card" aria-labelledby="spaces-h" data-testid="spaces-panel">
      <h2 id="spaces-h">
        <Icon name="home" /> {t('spaces.title')}
      </h2>
      <p class="hint">{t('spaces.hint')}</p>
      {data.error ? <ErrorBox error={data.error} /> : null}
      {data.loading && !data.data && <Spinner />}
      {saved && (
        <Msg kind="ok" testid="space-saved">
          <p>{tb('spaces.saved', { name: saved.name })}</p>
          {saved.edited && <p>{t('spaces.savedKeeps')}</p>}
        </Msg>
      )}
      <ul class="badge-list">
        {spaces.map((s) => (
          <li key={s.id} class="badge-item" data-testid="space" data-space-id={s.id}>
            <div>
              <strong>
                <bdi>{localName(s)}</bdi>
              </strong>{' '}
              <span class="chip">{t(`kind.${s.kind}`)}</span>{' '}
              <span class="chip" data-testid="space-zone-chip">
                <bdi>{localName(s.zone)}</bdi>
              </span>
              <OtherNamesLine thing={s} />
              <p class="hint">
                {t('resource.capacity', { n: s.capacity })} · {t('spaces.lengths', { min: fmtLength(s.minMinutes), max: fmtLength(s.maxMinutes) })}
              </p>
            </div>
            <div class="actions">
              <Button
                icon="rules"
                aria-label={ti('spaces.editSpace', { name: localName(s) })}
                onClick={() => {
                  setSaved(null);
                  setEditing(s);
                }}
                data-testid="space-edit"
              >
                {t('spaces.edit')}
              </Button>
            </div>
          </li>
        ))}
      </ul>
      {editing === null && data.data && (
        <Button
          icon="plus"
          onClick={() => {
            setSaved(null);
            setEditing('new');
          }}
          data-testid="space-new"
        >
          {t('spaces.new')}
        </Button>
      )}
      {editing !== null && data.data && (
        <SpaceForm
          key={editing === 'new' ? 'new' : editing.id}
          space={editing === 'new' ? null : editing}
          zones={data.data.zones}
          qualifications={data.data.qualifications}
          onDone={(name) => {
            if (name) setSaved({ name, edited: editing !== 'new' });
            setEditing(null);
            if (name) data.reload();
          }}
        />
      )}
      {data.data && <ZonesSection zones={data.data.zones} onChanged={data.reload} />}
    </section>
  );
}

function SpaceForm({ space, zones, qualifications, onDone }: { space: Space | null; zones: Zone[]; qualifications: NamedThing[]; onDone: (savedName: string | null) => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(space, zones));
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const days = weekdayNames();
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const problems = tried ? problemsOf(draft) : {};
  const prefix = space ? `space-${space.id.slice(0, 8)}` : 'space-new';

  /** A field's error under it, linked to it for screen readers. */
  const problem = (field: string) => {
    const p = problems[field];
    return p ? <FieldError id={`${prefix}-${field}-error`}>{t(p[0], p[1])}</FieldError> : null;
  };
  const described = (field: string, hint?: string) => (problems[field] ? `${prefix}-${field}-error` : hint);
  const invalid = (field: string) => (problems[field] ? true : undefined);

  async function save(e: Event) {
    e.preventDefault();
    setTried(true);
    setError(null);
    if (Object.keys(problemsOf(draft)).length > 0) return;
    setBusy(true);
    try {
      const input = inputOf(draft);
      if (space) await gql(`mutation EditSpace($id: ID!, $input: ResourceInput!) { updateResource(id: $id, input: $input) { id } }`, { id: space.id, input });
      else await gql(`mutation NewSpace($input: ResourceInput!) { createResource(input: $input) { id } }`, { input });
      onDone(localName(input));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const nameTaken = error instanceof ApiError && error.code === 'BAD_USER_INPUT' && error.extensions.field === 'name' && error.extensions.reason === 'TAKEN';
  const setHours = (i: number, change: Partial<Hours>) => set('hours', draft.hours.map((h, j) => (j === i ? { ...h, ...change } : h)));
  const sameEveryDay = () => {
    const first = draft.hours.filter((h) => h.weekday === Math.min(...draft.hours.map((x) => x.weekday)));
    set('hours', [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => first.map((h) => ({ ...h, weekday }))));
  };

  return (
    <form class="form subform space-form" onSubmit={save} noValidate data-testid="space-form">
      <h3>{space ? tb('spaces.editing', { name: localName(space) }) : t('spaces.new')}</h3>
      {space && <p class="hint">{t('spaces.editHint')}</p>}
      <div class="field">
        <label for={`${prefix}-name`}>{t('spaces.name')}</label>
        <input id={`${prefix}-name`} lang="fr" dir="auto" maxLength={120} value={draft.name} aria-invalid={invalid('name')} aria-describedby={described('name')} onInput={(e) => set('name', e.currentTarget.value)} data-testid="space-name" />
        {problem('name')}
      </div>
      <OtherNames id={`${prefix}-names`} rows={draft.names} onChange={(rows) => set('names', rows)} />
      <div class="field-row">
        <div class="field">
          <label for={`${prefix}-kind`}>{t('spaces.kind')}</label>
          <select id={`${prefix}-kind`} value={draft.kind} onChange={(e) => set('kind', e.currentTarget.value as Kind)} data-testid="space-kind">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${prefix}-zone`}>{t('spaces.zone')}</label>
          <select id={`${prefix}-zone`} value={draft.zoneId} aria-invalid={invalid('zone')} aria-describedby={described('zone', `${prefix}-zone-hint`)} onChange={(e) => set('zoneId', e.currentTarget.value)} data-testid="space-zone">
            <option value="">{t('steward.choose')}</option>
            {[...zones].sort(byLocalName).map((z) => (
              <option key={z.id} value={z.id}>
                {localName(z)}
                {z.openToMembersAnytime ? ` (${t('spaces.anytime')})` : ''}
              </option>
            ))}
          </select>
          {problem('zone')}
          <p class="hint" id={`${prefix}-zone-hint`}>{t('spaces.zoneHint')}</p>
        </div>
        <div class="field">
          <label for={`${prefix}-capacity`}>{t('spaces.capacity')}</label>
          <input id={`${prefix}-capacity`} inputMode="numeric" value={draft.capacity} aria-invalid={invalid('capacity')} aria-describedby={described('capacity')} onInput={(e) => set('capacity', e.currentTarget.value)} data-testid="space-capacity" />
          {problem('capacity')}
        </div>
      </div>

      <fieldset class="field-group">
        <legend>{t('spaces.lengthsTitle')}</legend>
        <div class="field-row">
          <div class="field">
            <label for={`${prefix}-slot`}>{t('spaces.grid')}</label>
            <select id={`${prefix}-slot`} value={String(draft.slotMinutes)} onChange={(e) => set('slotMinutes', Number(e.currentTarget.value))} data-testid="space-slot">
              {[...new Set([...GRIDS, draft.slotMinutes])].sort((a, b) => a - b).map((m) => (
                <option key={m} value={m}>
                  {fmtLength(m)}
                </option>
              ))}
            </select>
          </div>
          {(['minMinutes', 'maxMinutes', 'bufferMinutes'] as const).map((field) => (
            <div class="field" key={field}>
              <label for={`${prefix}-${field}`}>{t(`spaces.${field}`)}</label>
              <input
                id={`${prefix}-${field}`}
                inputMode="numeric"
                value={draft[field]}
                aria-invalid={invalid(field)}
                aria-describedby={described(field, `${prefix}-${field}-hint`)}
                onInput={(e) => set(field, e.currentTarget.value)}
                data-testid={`space-${field}`}
              />
              {problem(field) ?? (
                <p class="hint" id={`${prefix}-${field}-hint`}>
                  {wholeNumber(draft[field]) > 0 ? fmtLength(wholeNumber(draft[field])) : field === 'bufferMinutes' ? t('spaces.noBuffer') : ''}
                </p>
              )}
            </div>
          ))}
        </div>
      </fieldset>

      <fieldset class="field-group" data-testid="space-hours">
        <legend>{t('spaces.hoursTitle')}</legend>
        <p class="hint">{t('spaces.hoursHint')}</p>
        {[1, 2, 3, 4, 5, 6, 7].map((weekday) => {
          const rows = draft.hours.map((h, i) => ({ h, i })).filter(({ h }) => h.weekday === weekday);
          return (
            <div class="hours-day" key={weekday} data-testid="space-day" data-weekday={weekday}>
              <strong class="hours-name">{days[weekday - 1]}</strong>
              <div class="hours-list">
                {rows.length === 0 && <span class="hint">{t('spaces.closed')}</span>}
                {rows.map(({ h, i }) => (
                  <div class="hours-row" key={i}>
                    {(['opens', 'closes'] as const).map((end, k) => (
                      <Fragment key={end}>
                        {k === 1 && <span aria-hidden="true">–</span>}
                        <input
                          class="clock-input"
                          inputMode="numeric"
                          dir="ltr"
                          placeholder={end === 'opens' ? '09:00' : '17:00'}
                          aria-label={t(`spaces.${end}`, { day: days[weekday - 1] })}
                          value={h[end]}
                          aria-invalid={invalid(`hours${i}`)}
                          aria-describedby={described(`hours${i}`)}
                          onInput={(e) => setHours(i, { [end]: e.currentTarget.value })}
                          // Written back the house's way once typed: "930" becomes 09:30.
                          onBlur={() => {
                            const minutes = minutesOf(h[end], end === 'closes');
                            if (minutes !== null) setHours(i, { [end]: clockOf(minutes) });
                          }}
                          data-testid={`space-${end}`}
                        />
                      </Fragment>
                    ))}
                    <Button variant="ghost" icon="close" aria-label={t('spaces.removeHours', { day: days[weekday - 1] })} onClick={() => set('hours', draft.hours.filter((_, j) => j !== i))} data-testid="space-hours-remove" />
                    {problem(`hours${i}`)}
                  </div>
                ))}
              </div>
              <Button variant="ghost" icon="plus" aria-label={t('spaces.addHours', { day: days[weekday - 1] })} onClick={() => set('hours', [...draft.hours, { weekday, opens: '09:00', closes: '17:00' }])} data-testid="space-hours-add" />
            </div>
          );
        })}
        <Button icon="repeat" onClick={sameEveryDay} data-testid="space-same-hours">
          {t('spaces.sameEveryDay')}
        </Button>
      </fieldset>

      <fieldset class="field-group">
        <legend>{t('spaces.ratesTitle')}</legend>
        <p class="hint">{t('spaces.ratesHint')}</p>
        <div class="field-row">
          {TIERS.map((tier) => (
            <div class="field" key={tier}>
              <label for={`${prefix}-rate-${tier}`}>{t(`people.tier.${tier}`)}</label>
              <input
                id={`${prefix}-rate-${tier}`}
                inputMode="decimal"
                dir="ltr"
                value={draft.rates[tier]}
                aria-invalid={invalid(`rate${tier}`)}
                aria-describedby={described(`rate${tier}`)}
                onInput={(e) => set('rates', { ...draft.rates, [tier]: e.currentTarget.value })}
                data-testid={`space-rate-${tier}`}
              />
              {problem(`rate${tier}`)}
            </div>
          ))}
        </div>
      </fieldset>

      <div class="field">
        <label for={`${prefix}-qual`}>{t('spaces.qualification')}</label>
        <select id={`${prefix}-qual`} value={draft.requiredQualificationId} onChange={(e) => set('requiredQualificationId', e.currentTarget.value)} data-testid="space-qualification">
          <option value="">{t('spaces.noQualification')}</option>
          {[...qualifications].sort(byLocalName).map((q) => (
            <option key={q.id} value={q.id}>
              {localName(q)}
            </option>
          ))}
        </select>
      </div>
      <div class="field check-field">
        <input id={`${prefix}-approval`} type="checkbox" checked={draft.requiresApproval} onChange={(e) => set('requiresApproval', e.currentTarget.checked)} data-testid="space-approval" />
        <label for={`${prefix}-approval`}>{t('spaces.approval')}</label>
      </div>

      <ErrorBox error={error} text={nameTaken ? t('spaces.nameTaken') : namesRefused(error) ? t('names.invalid') : undefined} />
      <div class="actions">
        <Button type="submit" variant="primary" icon="check" disabled={busy} data-testid="space-save">
          {space ? t('spaces.save') : t('spaces.create')}
        </Button>
        <Button onClick={() => onDone(null)} data-testid="space-cancel">
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

const zoneNameRefused = (err: unknown) => nameRefused(err, { taken: 'spaces.zoneNameTaken', invalid: 'spaces.zoneNameInvalid' });

/**
 * The zones: the parts of the building behind a badge door. A steward renames one, or opens it
 * to members at any hour (or stops doing so), the way a space is edited; or adds one.
 */
function ZonesSection({ zones, onChanged }: { zones: Zone[]; onChanged: () => void }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const lastEditing = useRef<string | null>(null);
  const sorted = [...zones].sort(byLocalName);

  // Closing the form puts the keyboard back on the zone's "Edit" button.
  useLayoutEffect(() => {
    if (!editing && lastEditing.current) listRef.current?.querySelector<HTMLElement>(`[data-zone-id="${lastEditing.current}"] [data-testid="zone-edit"]`)?.focus();
    lastEditing.current = editing;
  }, [editing]);

  const changed = () => {
    zonesChanged.set(zonesChanged.get() + 1);
    onChanged();
  };

  return (
    <div class="zones" data-testid="zones">
      <h3>
        <Icon name="door" /> {t('spaces.zonesTitle')}
      </h3>
      <p class="hint">{t('spaces.zonesHint')}</p>
      {saved && (
        <Msg kind="ok" testid="zone-saved">
          {tb('spaces.zoneSaved', { name: saved })}
        </Msg>
      )}
      <ul ref={listRef} class="badge-list">
        {sorted.map((z) => (
          <li key={z.id} class="badge-item" data-testid="zone" data-zone-id={z.id} data-anytime={z.openToMembersAnytime ? 'yes' : 'no'}>
            {editing === z.id ? (
              <ZoneForm
                zone={z}
                onSaved={(name) => {
                  setSaved(name);
                  setEditing(null);
                  changed();
                }}
                onCancel={() => setEditing(null)}
              />
            ) : (
              <>
                <div>
                  <strong data-testid="zone-name-shown">
                    <bdi>{localName(z)}</bdi>
                  </strong>{' '}
                  <span class={`chip${z.openToMembersAnytime ? ' chip-badge-active' : ''}`} data-testid="zone-state">
                    {t(z.openToMembersAnytime ? 'spaces.anytime' : 'spaces.byBooking')}
                  </span>
                  <OtherNamesLine thing={z} />
                  <p class="hint">{t(z.openToMembersAnytime ? 'spaces.zoneAnytimeShort' : 'spaces.zoneBookingShort')}</p>
                </div>
                <div class="actions">
                  <Button
                    icon="rules"
                    aria-label={ti('spaces.editZone', { name: localName(z) })}
                    onClick={() => {
                      setSaved(null);
                      setEditing(z.id);
                    }}
                    data-testid="zone-edit"
                  >
                    {t('spaces.edit')}
                  </Button>
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
      <ZoneForm zone={null} onSaved={changed} onCancel={() => undefined} />
    </div>
  );
}

/**
 * A zone's name and whether members enter it at any hour: a new zone (`zone` null), or one
 * being changed. Saving unchanged values writes nothing on the server.
 */
function ZoneForm({ zone, onSaved, onCancel }: { zone: Zone | null; onSaved: (name: string) => void; onCancel: () => void }) {
  const form = useHouseNameForm(zone, { refused: zoneNameRefused, missing: 'spaces.zoneNameMissing' });
  const [anytime, setAnytime] = useState(zone?.openToMembersAnytime ?? false);
  const [done, setDone] = useState<string | null>(null);
  // The new zone's form keeps the ids and test ids it always had; a zone's own form gets its own.
  const id = zone ? `zone-${zone.id.slice(0, 8)}` : 'zone';
  const tid = (part: string) => (zone ? `zone-edit-${part}` : `zone-${part}`);

  // An edit form opens with the keyboard in it; the new zone's form waits to be chosen.
  useEffect(() => {
    if (zone) focusForm(form.formRef.current, 'h4');
  }, []);

  async function save(e: Event) {
    e.preventDefault();
    setDone(null);
    const shown = await form.submit((name, names) =>
      zone
        ? gql(
            'mutation EditZone($id: ID!, $name: String!, $names: [LocalizedNameInput!], $anytime: Boolean!) { updateZone(id: $id, name: $name, names: $names, openToMembersAnytime: $anytime) { id } }',
            { id: zone.id, name, names, anytime },
          )
        : gql(
            'mutation NewZone($name: String!, $names: [LocalizedNameInput!], $anytime: Boolean!) { createZone(name: $name, names: $names, openToMembersAnytime: $anytime) { id } }',
            { name, names, anytime },
          ),
    );
    if (shown === null) return;
    if (!zone) {
      setDone(shown);
      form.clear();
      setAnytime(false);
    }
    onSaved(shown);
  }

  return (
    <form ref={form.formRef} class={`form subform${zone ? ' zone-edit-form' : ''}`} onSubmit={save} noValidate data-testid={tid('form')}>
      <h4 tabIndex={zone ? -1 : undefined}>{zone ? tb('spaces.editing', { name: localName(zone) }) : t('spaces.newZone')}</h4>
      <HouseNameField id={`${id}-name`} label={t('spaces.zoneName')} value={form.name} problem={form.nameProblem} onInput={form.onNameInput} testId={tid('name')} />
      <OtherNames id={`${id}-names`} rows={form.names} onChange={form.setNames} />
      <div class="field">
        <div class="field check-field">
          <input id={`${id}-anytime`} type="checkbox" checked={anytime} aria-describedby={`${id}-anytime-hint`} onChange={(e) => setAnytime(e.currentTarget.checked)} data-testid={tid('anytime')} />
          <label for={`${id}-anytime`}>{t('spaces.zoneAnytime')}</label>
        </div>
        <p class="hint" id={`${id}-anytime-hint`}>
          {t('spaces.zoneAnytimeHint')}
        </p>
      </div>
      <ErrorBox error={form.otherError} context="zone" text={form.otherErrorText} />
      {zone ? (
        <div class="actions">
          <Button type="submit" variant="primary" icon="check" disabled={form.busy} data-testid="zone-save">
            {t('spaces.save')}
          </Button>
          <Button onClick={onCancel} data-testid="zone-cancel">
            {t('common.cancel')}
          </Button>
        </div>
      ) : (
        <Button type="submit" icon="plus" disabled={form.busy} data-testid="zone-create">
          {t('spaces.createZone')}
        </Button>
      )}
      {done && <Msg kind="ok">{tb('spaces.zoneCreated', { name: done })}</Msg>}
    </form>
  );
}
