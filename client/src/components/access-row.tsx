import { localName, t, type LocalizedName } from '../i18n';
import { Icon } from '../icons';
import { dt, fmtDateTime, fmtTime } from '../time';

/** A door decision as the steward's live list and a member's own entries show it. */
export interface AccessEvent {
  id: string;
  at: string;
  decision: 'ALLOW' | 'DENY';
  reason: string;
  /** Its name in other languages too, when the list was read with them (not yet for a live decision whose door is being looked up). */
  door: { id?: string; name: string; names?: LocalizedName[] | null };
  person?: { id: string; displayName: string } | null;
  /** Decided by the door alone while the server could not be reached. */
  offline?: boolean;
  badge?: { id: string; label: string } | null;
}

export function reasonText(reason: string): string {
  const key = `reason.${reason}`;
  const s = t(key);
  return s === key ? reason : s;
}

export function AccessRow({ e, showPerson, withDate, isNew }: { e: AccessEvent; showPerson?: boolean; withDate?: boolean; isNew?: boolean }) {
  const allow = e.decision === 'ALLOW';
  return (
    <li class={`access access-${allow ? 'allow' : 'deny'}${isNew ? ' access-new' : ''}`} data-testid="access-event" data-decision={e.decision}>
      <span class="access-icon">
        <Icon name={allow ? 'check' : 'cross'} />
      </span>
      <span class="access-main">
        <span>
          <strong>{allow ? t('access.ALLOW') : t('access.DENY')}</strong> · <bdi data-testid="access-door">{localName(e.door)}</bdi>
          {showPerson && (e.person || e.badge) && <> · <bdi>{e.person?.displayName ?? e.badge?.label}</bdi></>}
        </span>
        <span class="hint">
          {reasonText(e.reason)}
          {e.offline && <> · {t('access.offline')}</>}
        </span>
        {withDate && <time dateTime={e.at} class="hint">{fmtDateTime(dt(e.at))}</time>}
      </span>
      {!withDate && <time dateTime={e.at}>{fmtTime(dt(e.at))}</time>}
    </li>
  );
}
