import { useEffect, useState } from 'preact/hooks';
import { downloadWithToken, gql } from '../api';
import { Button, ErrorBox, Msg, PageTitle, Spinner } from '../components/ui';
import { useLoad } from '../hooks';
import { NAMES, listOf, localName, t } from '../i18n';
import { Icon } from '../icons';
import { live } from '../live';
import { dt, fmtDate, now, toApi } from '../time';
import type { Me } from '../types';
import { navigate } from '../router';
import { logout, signOut } from '../session';
import { MyBookings } from './my-bookings';
import { AccessRow, type AccessEvent } from '../components/access-row';

export function AccountPage({ me }: { me: Me }) {
  const badges = useLoad(
    () =>
      gql<{ badges: { id: string; label: string; status: string; issuedAt: string }[] }>(
        'query MyBadges($personId: ID) { badges(personId: $personId) { id label status issuedAt } }',
        { personId: me.id },
      ).then((d) => d.badges),
    [me.id],
  );
  const entries = useLoad(() => {
    const to = now();
    return gql<{ myAccessEvents: AccessEvent[] }>(
      `query MyEntries($from: DateTime!, $to: DateTime!) { myAccessEvents(from: $from, to: $to) { id at decision reason offline door { id name ${NAMES} } } }`,
      { from: toApi(to.minus({ days: 30 })), to: toApi(to.plus({ minutes: 1 })) },
    ).then((d) => [...d.myAccessEvents].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)));
  }, []);
  // A door renamed or translated by a steward: my entries name it anew.
  useEffect(() => live.on((e) => e.type === 'door.changed' && e.door.change === 'updated' && entries.reload()), []);
  const [feedUrl, setFeedUrl] = useState<string | null>(null);
  const [feedMsg, setFeedMsg] = useState<string | null>(null);
  const [feedError, setFeedError] = useState<unknown>(null);
  const [feedBusy, setFeedBusy] = useState(false);

  async function newFeed() {
    setFeedBusy(true);
    setFeedError(null);
    setFeedMsg(null);
    try {
      const d = await gql<{ resetCalendarFeed: string }>('mutation NewFeed { resetCalendarFeed }');
      setFeedUrl(new URL(d.resetCalendarFeed, location.origin).toString());
      setCopied(false);
    } catch (err) {
      setFeedError(err);
    } finally {
      setFeedBusy(false);
    }
  }

  async function stopFeed() {
    setFeedError(null);
    try {
      await gql('mutation StopFeed { revokeCalendarFeed }');
      setFeedUrl(null);
      setFeedMsg(t('account.feedStopped'));
    } catch (err) {
      setFeedError(err);
    }
  }
  const [exportError, setExportError] = useState<unknown>(null);
  const [copied, setCopied] = useState(false);

  const nowMs = Date.now();
  return (
    <section class="page">
      <PageTitle icon="person">{t('account.title')}</PageTitle>
      <MyBookings me={me} />

      <div class="two-cols">
        <section class="card" aria-labelledby="me-h">
          <h2 id="me-h">{me.displayName}</h2>
          <dl class="details">
            {me.email && (
              <div>
                <dt>{t('account.email')}</dt>
                <dd dir="ltr">{me.email}</dd>
              </div>
            )}
            <div>
              <dt>{t('account.roles')}</dt>
              <dd data-testid="my-roles">{listOf(me.roles.map((r) => t(`role.${r}`)))}</dd>
            </div>
          </dl>
          <h3>{t('account.collectives')}</h3>
          {me.memberships.length === 0 && <p class="empty">{t('account.noCollective')}</p>}
          <ul class="plain-list">
            {me.memberships.map((m) => {
              const ended = m.endsAt && Date.parse(m.endsAt) <= nowMs;
              // Withdrawn before it started: it ends when it starts.
              const withdrawn = m.endsAt !== null && Date.parse(m.endsAt) === Date.parse(m.startsAt);
              return (
                <li key={m.id} class={ended || withdrawn ? 'muted' : ''}>
                  <strong><bdi>{m.collective.name}</bdi></strong> · {t(`membershipRole.${m.role}`)}
                  {withdrawn ? (
                    <> · {t('account.withdrawn')}</>
                  ) : (
                    m.endsAt && <> · {t(ended ? 'account.ended' : 'account.until', { date: fmtDate(dt(m.endsAt)) })}</>
                  )}
                </li>
              );
            })}
          </ul>
          <h3>{t('account.qualifications')}</h3>
          {me.qualifications.length === 0 && <p class="empty">{t('account.noQualification')}</p>}
          <ul class="plain-list">
            {me.qualifications.map((q) => (
              <li key={q.qualification.id} data-testid="my-qualification" data-qualification-id={q.qualification.id}>
                <Icon name="check" size={18} /> <bdi>{localName(q.qualification)}</bdi>
                {q.expiresAt && <> · {t('account.until', { date: fmtDate(dt(q.expiresAt)) })}</>}
              </li>
            ))}
          </ul>
          <Button icon="logout" flipIcon onClick={() => { signOut(); navigate('/login'); }} data-testid="account-logout">
            {t('nav.logout')}
          </Button>
          <SignOutEverywhere />
        </section>

        <section class="card" aria-labelledby="badge-h">
          <h2 id="badge-h">
            <Icon name="badge" /> {t('account.myBadge')}
          </h2>
          {badges.error ? <ErrorBox error={badges.error} /> : null}
          {badges.loading && !badges.data && <Spinner />}
          {badges.data && badges.data.length === 0 && <p class="empty">{t('account.noBadge')}</p>}
          <ul class="plain-list">
            {(badges.data ?? []).map((b) => (
              <li key={b.id} data-testid="my-badge" data-status={b.status}>
                <strong>{b.label}</strong> <span class={`chip chip-badge-${b.status.toLowerCase()}`}>{t(`badgeStatus.${b.status}`)}</span>
              </li>
            ))}
          </ul>
          <p class="hint">{t('account.lostHint')}</p>

          <h3>{t('account.entries')}</h3>
          {entries.error ? <ErrorBox error={entries.error} /> : null}
          {entries.loading && !entries.data && <Spinner />}
          {entries.data && entries.data.length === 0 && <p class="empty">{t('account.noEntries')}</p>}
          <ul class="door-log" data-testid="my-entries">
            {(entries.data ?? []).slice(0, 30).map((e) => (
              <AccessRow key={e.id} e={e} withDate />
            ))}
          </ul>
        </section>

        <section class="card" aria-labelledby="data-h">
          <h2 id="data-h">
            <Icon name="download" /> {t('account.myData')}
          </h2>
          <p>{t('account.exportHint')}</p>
          <p>
            <a
              class="btn btn-secondary"
              href="/me/export.json"
              data-testid="export-link"
              onClick={(e) => {
                e.preventDefault();
                setExportError(null);
                downloadWithToken('/me/export.json', 'tiers-lieu-my-data.json').catch(setExportError);
              }}
            >
              <Icon name="download" />
              <span>{t('account.export')}</span>
            </a>
          </p>
          <ErrorBox error={exportError} />

          <h3>
            <Icon name="calendar" /> {t('account.feed')}
          </h3>
          <p>{t('account.feedHint')}</p>
          {feedUrl && (
            <>
              <div class="feed">
                <input readOnly dir="ltr" value={feedUrl} aria-label={t('account.feed')} data-testid="feed-url" onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
                <Button
                  icon="copy"
                  onClick={() => {
                    void navigator.clipboard?.writeText(feedUrl);
                    setCopied(true);
                  }}
                >
                  {copied ? t('common.copied') : t('common.copy')}
                </Button>
              </div>
              <p class="hint">{t('account.feedOnce')}</p>
            </>
          )}
          {feedMsg && <Msg kind="ok">{feedMsg}</Msg>}
          <ErrorBox error={feedError} />
          <div class="actions">
            <Button icon="link" variant="primary" disabled={feedBusy} onClick={newFeed} data-testid="feed-new">
              {t('account.feedNew')}
            </Button>
            <Button icon="close" onClick={stopFeed} data-testid="feed-stop">
              {t('account.feedStop')}
            </Button>
          </div>
          <p class="hint">{t('account.feedPrivate')}</p>
        </section>
      </div>
    </section>
  );
}

/** For a lost phone, or a phone or computer borrowed to log in: every device signs out, this one too. */
function SignOutEverywhere() {
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function signOutEverywhere() {
    setBusy(true);
    setError(null);
    try {
      await gql<{ logoutEverywhere: boolean }>('mutation LogoutEverywhere { logoutEverywhere }');
      logout();
      navigate('/login');
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <div class="subform logout-everywhere" data-testid="logout-everywhere-box">
      <p class="hint">{t('account.logoutEverywhereHint')}</p>
      {confirm ? (
        <div class="confirm-box" role="group" aria-labelledby="logout-everywhere-q">
          <p id="logout-everywhere-q">
            <strong>{t('account.logoutEverywhereQ')}</strong>
          </p>
          <div class="actions">
            <Button variant="danger" icon="check" disabled={busy} onClick={signOutEverywhere} data-testid="logout-everywhere-confirm">
              {t('account.logoutEverywhereYes')}
            </Button>
            <Button focusOnMount onClick={() => setConfirm(false)} data-testid="logout-everywhere-keep">
              {t('account.logoutEverywhereKeep')}
            </Button>
          </div>
        </div>
      ) : (
        <Button icon="lock" onClick={() => setConfirm(true)} data-testid="logout-everywhere">
          {t('account.logoutEverywhere')}
        </Button>
      )}
      <ErrorBox error={error} />
    </div>
  );
}
