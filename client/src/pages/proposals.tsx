import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api';
import { Button, Dialog, ErrorBox, FieldError, PageTitle, Spinner, tb } from '../components/ui';
import { useLoad, useTick } from '../hooks';
import { NAMES, byLocalName, localName, t } from '../i18n';
import { Icon } from '../icons';
import { live } from '../live';
import { linkClick, navigate, route, setQuery } from '../router';
import { RuleLimit, loadRuleLimits, ruleHelp, ruleInputUnit, ruleLabel, ruleValue } from '../rules';
import { activeMemberships } from '../session';
import { useStore } from '../store';
import { dt, fmtDateTime, fmtLeft, fmtNumber, fmtUnit, now, toApi } from '../time';
import { RULE_KEYS, type HouseRule, type Me, type NamedThing, type Proposal, type ProposalStatus, type RuleKey } from '../types';
import { loadHouseRules } from './rules';

const LIST_FIELDS = `id title status createdAt discussionEndsAt votingEndsAt turnout electorateSize myVote canVote
  quorumPercent thresholdPercent ruleChanges { key value resource { id name ${NAMES} } } author { id displayName }`;

type Tab = 'VOTING' | 'DISCUSSION' | 'CLOSED';
const TABS: Tab[] = ['VOTING', 'DISCUSSION', 'CLOSED'];

function tabOf(s: ProposalStatus): Tab {
  return s === 'VOTING' || s === 'DISCUSSION' ? s : 'CLOSED';
}

export function StatusChip({ status }: { status: ProposalStatus }) {
  return (
    <span class={`chip chip-${status.toLowerCase()}`} data-testid="proposal-status" data-status={status}>
      {t(`proposalStatus.${status}`)}
    </span>
  );
}

/** "Vote closes in 2 days" or "Vote opens in 5 hours" or the closing date. */
export function timeLine(p: Proposal): string {
  const n = now();
  if (p.status === 'DISCUSSION') {
    const d = dt(p.discussionEndsAt);
    return d > n ? t('proposal.voteOpensIn', { left: fmtLeft(d) }) : t('proposal.voteOpensSoon');
  }
  if (p.status === 'VOTING') {
    const d = dt(p.votingEndsAt);
    return d > n ? t('proposal.voteClosesIn', { left: fmtLeft(d) }) : t('proposal.voteClosesSoon');
  }
  return t('proposal.closedOn', { date: fmtDateTime(dt(p.votingEndsAt)) });
}

export function ProposalsPage({ me }: { me: Me }) {
  const r = useStore(route);
  useTick(60_000);
  const list = useLoad(() => gql<{ proposals: Proposal[] }>(`query Proposals { proposals { ${LIST_FIELDS} } }`).then((d) => d.proposals), []);
  useEffect(
    () =>
      live.on((e) => {
        if (e.type !== 'proposal.changed') return;
        list.set((all) => all && all.map((p) => (p.id === e.proposal.id ? { ...p, status: e.proposal.status, turnout: e.proposal.turnout } : p)));
        list.reload();
      }),
    [],
  );
  const [creating, setCreating] = useState(false);

  const all = list.data ?? [];
  const counts = Object.fromEntries(TABS.map((tb) => [tb, all.filter((p) => tabOf(p.status) === tb).length])) as Record<Tab, number>;
  const wanted = r.query.get('tab') as Tab | null;
  const tab: Tab = wanted && TABS.includes(wanted) ? wanted : counts.VOTING > 0 || !list.data || all.length === 0 ? 'VOTING' : counts.DISCUSSION > 0 ? 'DISCUSSION' : 'CLOSED';
  const shown = all
    .filter((p) => tabOf(p.status) === tab)
    .sort((a, b) => (tab === 'CLOSED' ? Date.parse(b.votingEndsAt) - Date.parse(a.votingEndsAt) : Date.parse(a.votingEndsAt) - Date.parse(b.votingEndsAt)));
  const canPropose = activeMemberships(me).length > 0;

  return (
    <section class="page">
      <PageTitle icon="vote">{t('proposals.title')}</PageTitle>
      <p class="lead">{t('proposals.intro')}</p>
      {canPropose && (
        <p>
          <Button variant="primary" icon="plus" onClick={() => setCreating(true)} data-testid="new-proposal">
            {t('proposals.new')}
          </Button>
        </p>
      )}
      <div class="tabs" role="group" aria-label={t('proposals.filter')}>
        {TABS.map((tb) => (
          <button
            type="button"
            key={tb}
            class="tab"
            aria-pressed={tab === tb}
            data-testid={`tab-${tb.toLowerCase()}`}
            onClick={() => setQuery({ tab: tb })}
          >
            {t(`proposals.tab.${tb}`)} <span class="count">{fmtNumber(counts[tb] ?? 0)}</span>
          </button>
        ))}
      </div>
      {list.error ? <ErrorBox error={list.error} /> : null}
      {list.loading && !list.data && <Spinner />}
      {list.data && all.length === 0 && (
        <p class="empty" data-testid="no-proposals">
          {canPropose ? t('proposals.empty.none', { button: t('proposals.new') }) : t('proposals.empty.VOTING')}
        </p>
      )}
      {list.data && all.length > 0 && shown.length === 0 && <p class="empty">{t(`proposals.empty.${tab}`)}</p>}
      <ul class="card-list">
        {shown.map((p) => (
          <li key={p.id} class="card proposal-card" data-testid="proposal-card" data-proposal-id={p.id}>
            <div class="card-head">
              <h2>
                <a href={`/proposals/${p.id}`} onClick={linkClick} dir="auto">
                  {p.title}
                </a>
              </h2>
              <span class="chips">
                {p.status === 'VOTING' && p.canVote && !p.myVote && <span class="chip chip-your-turn" data-testid="your-turn">{t('proposals.yourTurn')}</span>}
                <StatusChip status={p.status} />
              </span>
            </div>
            {p.ruleChanges.map((c, i) => (
              <p key={i} class="meta">
                <Icon name="rules" size={18} />
                <span>
                  {tb(c.resource ? 'proposals.ruleLineFor' : 'proposals.ruleLine', {
                    rule: ruleLabel(c.key),
                    resource: c.resource ? localName(c.resource) : '',
                    value: <strong>{ruleValue(c.key, c.value)}</strong>,
                  })}
                </span>
              </p>
            ))}
            <p class="meta">
              <Icon name="clock" size={18} />
              <span>{timeLine(p)}</span>
            </p>
            {(p.status === 'VOTING' || p.status === 'ADOPTED' || p.status === 'REJECTED' || p.status === 'NO_QUORUM') && (
              <p class="meta">
                <Icon name="person" size={18} />
                <span>
                  {p.electorateSize != null
                    ? t('proposal.turnoutOf', { n: fmtNumber(p.turnout), m: fmtNumber(p.electorateSize) })
                    : t('proposal.turnout', { n: fmtNumber(p.turnout) })}
                  {p.myVote && <> · {t('proposal.youVoted', { choice: t(`vote.${p.myVote}`) })}</>}
                </span>
              </p>
            )}
          </li>
        ))}
      </ul>
      {creating && <NewProposalDialog onClose={() => setCreating(false)} onCreated={(id) => navigate(`/proposals/${id}`)} />}
    </section>
  );
}

function NewProposalDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (id: string) => void }) {
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [changeRule, setChangeRule] = useState(false);
  const [key, setKey] = useState<RuleKey>('WEEKLY_QUOTA_MINUTES');
  const [resourceId, setResourceId] = useState('');
  const [value, setValue] = useState('');
  const [rules, setRules] = useState<HouseRule[]>([]);
  const [resources, setResources] = useState<NamedThing[]>([]);
  const [limits, setLimits] = useState<Partial<Record<RuleKey, RuleLimit>>>({});
  const minHours = rules.find((r) => r.key === 'DISCUSSION_MIN_HOURS' && !r.resource)?.value ?? 72;
  const [discussionDays, setDiscussionDays] = useState(7);
  const [votingDays, setVotingDays] = useState(7);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    loadHouseRules().then(setRules, () => undefined);
    loadRuleLimits().then(setLimits, () => undefined);
    gql<{ resources: NamedThing[] }>(`query ResourceNames { resources { id name ${NAMES} } }`).then((d) => setResources(d.resources), () => undefined);
  }, []);
  useEffect(() => {
    const minDays = Math.ceil(minHours / 24);
    if (discussionDays < minDays) setDiscussionDays(minDays);
  }, [minHours]);

  const unit = ruleInputUnit(key);
  // Until the server's limits arrive nothing is refused here; the server checks anyway.
  const limit = limits[key] ?? { key, min: 0, max: Number.MAX_SAFE_INTEGER, perResource: true };
  useEffect(() => {
    if (!limit.perResource) setResourceId('');
  }, [key]);
  const current = rules.find((r) => r.key === key && (r.resource?.id ?? '') === resourceId) ?? rules.find((r) => r.key === key && !r.resource);
  const stored = value === '' ? null : Math.round(Number(value) * unit.factor);
  const valueOk = stored != null && Number.isFinite(stored) && stored >= limit.min && stored <= limit.max;
  const discussionEnds = now().plus({ days: discussionDays }).startOf('hour').plus({ hours: 1 });
  const votingEnds = discussionEnds.plus({ days: votingDays });
  // The form is noValidate (the browser would speak its own language): the checks are here.
  const minDays = Math.ceil(minHours / 24);
  const discussionBad = discussionDays < minDays || discussionDays > 60;
  const votingBad = votingDays < 1 || votingDays > 60;

  // A missing title or text does not grey the button: pressing it says what is missing.
  const [showMissing, setShowMissing] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setShowMissing(true);
    if (!title.trim() || !body.trim() || (changeRule && !valueOk) || discussionBad || votingBad) return;
    setBusy(true);
    setError(null);
    try {
      const input: Record<string, unknown> = {
        title: title.trim(),
        body: body.trim(),
        discussionEndsAt: toApi(discussionEnds),
        votingEndsAt: toApi(votingEnds),
      };
      if (changeRule && stored != null) input.ruleChanges = [{ key, resourceId: resourceId || null, value: stored }];
      const d = await gql<{ createProposal: { id: string } }>(
        'mutation CreateProposal($input: ProposalInput!) { createProposal(input: $input) { id } }',
        { input },
      );
      onCreated(d.createProposal.id);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <Dialog title={t('proposals.new')} onClose={onClose} testid="proposal-dialog">
      <form class="form" onSubmit={submit} noValidate>
        <div class="field">
          <label for="p-title">{t('proposals.form.title')}</label>
          <input
            id="p-title"
            data-testid="proposal-title"
            required
            maxLength={140}
            value={title}
            aria-invalid={showMissing && !title.trim() ? true : undefined}
            aria-describedby={showMissing && !title.trim() ? 'p-title-missing' : undefined}
            onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)}
          />
          {showMissing && !title.trim() && <FieldError id="p-title-missing">{t('proposals.form.titleMissing')}</FieldError>}
        </div>
        <div class="field">
          <label for="p-body">{t('proposals.form.body')}</label>
          <textarea
            id="p-body"
            data-testid="proposal-body"
            required
            rows={5}
            value={body}
            aria-invalid={showMissing && !body.trim() ? true : undefined}
            aria-describedby={showMissing && !body.trim() ? 'p-body-missing' : undefined}
            onInput={(e) => setBody((e.currentTarget as HTMLTextAreaElement).value)}
          />
          {showMissing && !body.trim() && <FieldError id="p-body-missing">{t('proposals.form.bodyMissing')}</FieldError>}
          <p class="hint">{t('proposals.form.bodyHint')}</p>
        </div>
        <div class="field check-field">
          <input type="checkbox" id="p-change" data-testid="proposal-change-rule" checked={changeRule} onChange={(e) => setChangeRule((e.currentTarget as HTMLInputElement).checked)} />
          <label for="p-change">{t('proposals.form.changeRule')}</label>
        </div>
        {changeRule && (
          <fieldset class="subform">
            <div class="field">
              <label for="p-key">{t('proposals.form.rule')}</label>
              <select id="p-key" data-testid="proposal-rule-key" value={key} onChange={(e) => setKey((e.currentTarget as HTMLSelectElement).value as RuleKey)}>
                {RULE_KEYS.map((k) => (
                  <option key={k} value={k}>
                    {ruleLabel(k)}
                  </option>
                ))}
              </select>
              <p class="hint">{ruleHelp(key)}</p>
            </div>
            {limit.perResource ? (
              <div class="field">
                <label for="p-res">{t('proposals.form.where')}</label>
                <select id="p-res" data-testid="proposal-rule-resource" value={resourceId} onChange={(e) => setResourceId((e.currentTarget as HTMLSelectElement).value)}>
                  <option value="">{t('proposals.form.wholeHouse')}</option>
                  {[...resources].sort(byLocalName).map((r) => (
                    <option key={r.id} value={r.id}>
                      {localName(r)}
                    </option>
                  ))}
                </select>
              </div>
            ) : (
              <p class="hint">{t('proposals.form.houseWideOnly')}</p>
            )}
            <div class="field">
              <label for="p-value">{t('proposals.form.newValue', { unit: t(`unit.${unit.unit}`) })}</label>
              <input
                id="p-value"
                data-testid="proposal-rule-value"
                type="number"
                inputMode="decimal"
                min={limit.min / unit.factor}
                max={limit.max / unit.factor}
                step="any"
                required
                value={value}
                onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)}
              />
              <p class="hint" data-testid="proposal-rule-preview">
                {current ? t('proposals.form.current', { value: ruleValue(key, current.value) }) : null}
                {valueOk && stored != null && <> → <strong>{ruleValue(key, stored)}</strong></>}
              </p>
              {value !== '' && !valueOk && (
                <p class="hint hint-warn" role="status" data-testid="proposal-rule-range">
                  {t('proposals.form.between', { min: ruleValue(key, limit.min), max: ruleValue(key, limit.max) })}
                </p>
              )}
            </div>
          </fieldset>
        )}
        <div class="field">
          <label for="p-disc">{t('proposals.form.discussionDays')}</label>
          <input
            id="p-disc"
            data-testid="proposal-discussion-days"
            type="number"
            min={minDays}
            max={60}
            value={discussionDays}
            aria-invalid={discussionBad ? true : undefined}
            aria-describedby={discussionBad ? 'p-disc-error' : undefined}
            onInput={(e) => setDiscussionDays(Number((e.currentTarget as HTMLInputElement).value) || 1)}
          />
          {discussionBad && <FieldError id="p-disc-error">{t('proposals.form.daysBetween', { min: minDays, max: 60 })}</FieldError>}
          <p class="hint">{t('proposals.form.voteOpens', { date: fmtDateTime(discussionEnds), min: fmtUnit(minHours, 'hour') })}</p>
        </div>
        <div class="field">
          <label for="p-vote">{t('proposals.form.votingDays')}</label>
          <input
            id="p-vote"
            data-testid="proposal-voting-days"
            type="number"
            min={1}
            max={60}
            value={votingDays}
            aria-invalid={votingBad ? true : undefined}
            aria-describedby={votingBad ? 'p-vote-error' : undefined}
            onInput={(e) => setVotingDays(Number((e.currentTarget as HTMLInputElement).value) || 1)}
          />
          {votingBad && <FieldError id="p-vote-error">{t('proposals.form.daysBetween', { min: 1, max: 60 })}</FieldError>}
          <p class="hint">{t('proposals.form.voteCloses', { date: fmtDateTime(votingEnds) })}</p>
        </div>
        <ErrorBox error={error} context="proposal" />
        <div class="actions">
          <Button type="submit" variant="primary" icon="check" disabled={busy || (changeRule && !valueOk) || discussionBad || votingBad} data-testid="proposal-submit">
            {t('proposals.form.submit')}
          </Button>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
        </div>
      </form>
    </Dialog>
  );
}
