import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api';
import { BarChart } from '../components/charts';
import { Button, ErrorBox, Msg, Spinner } from '../components/ui';
import { useLoad, useTick } from '../hooks';
import { t } from '../i18n';
import { Icon, type IconName } from '../icons';
import { live } from '../live';
import { linkClick } from '../router';
import { ruleLabel, ruleValue } from '../rules';
import { dt, fmtDateTime, fmtNumber, fmtRelative } from '../time';
import type { Me, Proposal, VoteChoice } from '../types';
import { loadHouseRules } from './rules';
import { StatusChip, timeLine } from './proposals';

const PROPOSAL_QUERY = `query Proposal($id: ID!) { proposal(id: $id) {
  id title body status createdAt discussionEndsAt votingEndsAt quorumPercent thresholdPercent
  electorateSize turnout myVote author { id displayName }
  ruleChanges { key value resource { id name } }
  tally { yes no abstain electorateSize turnout quorumReached adopted }
  comments { id body createdAt author { id displayName } }
} }`;

const CHOICES: { choice: VoteChoice; icon: IconName }[] = [
  { choice: 'YES', icon: 'check' },
  { choice: 'NO', icon: 'cross' },
  { choice: 'ABSTAIN', icon: 'minus' },
];

interface Receipt {
  receipt: string;
  castAt: string;
}

function savedReceipt(id: string): Receipt | null {
  try {
    const s = localStorage.getItem(`tl.receipt.${id}`);
    return s ? (JSON.parse(s) as Receipt) : null;
  } catch {
    return null;
  }
}

export function ProposalPage({ me, id }: { me: Me; id: string }) {
  useTick(30_000);
  const p = useLoad(() => gql<{ proposal: Proposal | null }>(PROPOSAL_QUERY, { id }).then((d) => d.proposal), [id]);
  const rules = useLoad(() => loadHouseRules(), []);
  useEffect(
    () =>
      live.on((e) => {
        if (e.type === 'proposal.changed' && e.proposal.id === id) p.reload();
        if (e.type === 'rules.changed') rules.reload();
      }),
    [id],
  );

  if (p.loading && !p.data) return <section class="page"><Spinner /></section>;
  if (!p.data)
    return (
      <section class="page">
        {p.error ? <ErrorBox error={p.error} /> : <p>{t('proposal.notFound')}</p>}
        <BackLink />
      </section>
    );
  const prop = p.data;
  return (
    <section class="page proposal-page" data-testid="proposal-page" data-proposal-id={prop.id} data-status={prop.status}>
      <BackLink />
      <div class="card-head">
        <h1>{prop.title}</h1>
        <StatusChip status={prop.status} />
      </div>
      <p class="meta">
        <span>{t('proposal.by', { name: prop.author.displayName, when: fmtRelative(dt(prop.createdAt)) })}</span>
      </p>
      <p class="meta time-left" data-testid="time-left">
        <Icon name="clock" size={18} />
        <span>{timeLine(prop)}</span>
      </p>
      {p.error ? <ErrorBox error={p.error} /> : null}

      <div class="proposal-body" dir="auto">{prop.body}</div>

      {prop.ruleChanges.length > 0 && (
        <section class="card" aria-labelledby="changes-h">
          <h2 id="changes-h">{t('proposal.changes')}</h2>
          <ul class="changes">
            {prop.ruleChanges.map((c, i) => {
              const cur =
                (rules.data ?? []).find((r) => r.key === c.key && (r.resource?.id ?? null) === (c.resource?.id ?? null)) ??
                (rules.data ?? []).find((r) => r.key === c.key && !r.resource);
              return (
                <li key={i} data-testid="rule-change" data-key={c.key}>
                  <strong>{ruleLabel(c.key)}</strong>
                  {c.resource && <> ({c.resource.name})</>}
                  {prop.status === 'ADOPTED' ? (
                    <div class="from-to">
                      <span class="to">{ruleValue(c.key, c.value)}</span>
                      <span class="chip chip-adopted">{t('proposal.inForce')}</span>
                    </div>
                  ) : (
                    <div class="from-to">
                      <span class="from" data-testid="current-value">{cur ? ruleValue(c.key, cur.value) : t('proposal.noValue')}</span>
                      <Icon name="next" flip size={20} />
                      <span class="to" data-testid="proposed-value">{ruleValue(c.key, c.value)}</span>
                    </div>
                  )}
                  <p class="hint">{t(`rule.${c.key}.help`)}</p>
                </li>
              );
            })}
          </ul>
        </section>
      )}

      <VoteSection prop={prop} onVoted={p.reload} />
      <Comments prop={prop} me={me} onAdded={p.reload} />
    </section>
  );
}

function BackLink() {
  return (
    <p>
      <a href="/proposals" onClick={linkClick} class="back-link">
        <Icon name="prev" flip size={18} />
        <span>{t('proposal.back')}</span>
      </a>
    </p>
  );
}

function VoteSection({ prop, onVoted }: { prop: Proposal; onVoted: () => void }) {
  const [receipt, setReceipt] = useState<Receipt | null>(() => savedReceipt(prop.id));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<VoteChoice | null>(null);
  const [mine, setMine] = useState<VoteChoice | null>(prop.myVote);
  useEffect(() => setMine(prop.myVote), [prop.myVote]);

  async function vote(choice: VoteChoice) {
    setBusy(choice);
    setError(null);
    try {
      const d = await gql<{ castVote: { receipt: string; castAt: string } }>(
        'mutation Vote($proposalId: ID!, $choice: VoteChoice!) { castVote(proposalId: $proposalId, choice: $choice) { proposalId receipt castAt } }',
        { proposalId: prop.id, choice },
      );
      const r = { receipt: d.castVote.receipt, castAt: d.castVote.castAt };
      setReceipt(r);
      setMine(choice);
      try {
        localStorage.setItem(`tl.receipt.${prop.id}`, JSON.stringify(r));
      } catch {
        /* ignore */
      }
      onVoted();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  const electorate = prop.electorateSize ?? prop.tally?.electorateSize ?? null;
  const quorumNeeded = electorate != null ? Math.ceil((prop.quorumPercent * electorate) / 100) : null;
  const voting = prop.status === 'VOTING';
  const closed = !voting && prop.status !== 'DISCUSSION';

  return (
    <section class="card vote-card" aria-labelledby="vote-h">
      <h2 id="vote-h">{closed ? t('proposal.tally') : t('proposal.vote')}</h2>
      <p class="hint">
        {t('proposal.rulesOfVote', { quorum: fmtNumber(prop.quorumPercent), threshold: fmtNumber(prop.thresholdPercent) })}
      </p>
      {prop.status === 'DISCUSSION' && <Msg>{t('proposal.notYet')}</Msg>}
      {prop.status === 'WITHDRAWN' && <Msg>{t('proposal.withdrawn')}</Msg>}

      {(voting || prop.status === 'DISCUSSION') && (
        <>
          <div class="ballot" role="group" aria-label={t('proposal.ballot')} data-testid="ballot">
            {CHOICES.map(({ choice, icon }) => (
              <button
                type="button"
                key={choice}
                class={`ballot-btn ballot-${choice.toLowerCase()}`}
                aria-pressed={mine === choice}
                disabled={!voting || busy != null}
                data-testid={`vote-${choice.toLowerCase()}`}
                onClick={() => vote(choice)}
              >
                <Icon name={icon} size={28} />
                <span>{t(`vote.${choice}`)}</span>
                {mine === choice && <span class="mine-mark">{t('proposal.yourChoice')}</span>}
              </button>
            ))}
          </div>
          {voting && <p class="hint">{t('proposal.canChange')}</p>}
          <ErrorBox error={error} context="vote" />
        </>
      )}

      {voting && (
        <div class="turnout" data-testid="turnout">
          <p>
            {electorate != null
              ? t('proposal.turnoutOf', { n: fmtNumber(prop.turnout), m: fmtNumber(electorate) })
              : t('proposal.turnout', { n: fmtNumber(prop.turnout) })}
            {quorumNeeded != null && <> · {t('proposal.quorumNeeded', { n: fmtNumber(quorumNeeded) })}</>}
          </p>
          {electorate != null && electorate > 0 && (
            <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={electorate} aria-valuenow={prop.turnout} aria-label={t('proposal.turnoutLabel')}>
              <div class="progress-bar" style={{ width: `${Math.min(100, (prop.turnout / electorate) * 100)}%` }} />
              {quorumNeeded != null && <div class="progress-mark" style={{ insetInlineStart: `${(quorumNeeded / electorate) * 100}%` }} />}
            </div>
          )}
          <p class="hint">{t('proposal.secret')}</p>
        </div>
      )}

      {receipt && (
        <div class="receipt" data-testid="receipt-box">
          <p>
            <Icon name="ticket" size={18} /> {t('proposal.receipt')}
          </p>
          <code data-testid="receipt" dir="ltr">
            {receipt.receipt}
          </code>
          <p class="hint">{t('proposal.receiptHint', { when: fmtDateTime(dt(receipt.castAt)) })}</p>
          <Button icon="copy" variant="ghost" onClick={() => navigator.clipboard?.writeText(receipt.receipt)}>
            {t('common.copy')}
          </Button>
        </div>
      )}

      {closed && prop.tally && <Result prop={prop} />}
      {closed && prop.status !== 'WITHDRAWN' && <Verify proposalId={prop.id} initial={receipt?.receipt ?? ''} />}
    </section>
  );
}

function Result({ prop }: { prop: Proposal }) {
  const tl = prop.tally!;
  const outcome = prop.status === 'ADOPTED' ? 'ADOPTED' : prop.status === 'NO_QUORUM' ? 'NO_QUORUM' : 'REJECTED';
  return (
    <div class="result" data-testid="tally">
      <Msg kind={outcome === 'ADOPTED' ? 'ok' : 'warn'}>
        <strong>{t(`proposal.result.${outcome}`)}</strong>
      </Msg>
      <BarChart
        label={t('proposal.tally')}
        bars={[
          { label: t('vote.YES'), value: tl.yes, color: '#2f6b2f' },
          { label: t('vote.NO'), value: tl.no, color: '#9c1f4a' },
          { label: t('vote.ABSTAIN'), value: tl.abstain, color: '#3d4a5c' },
        ]}
      />
      <p>
        {t('proposal.turnoutOf', { n: fmtNumber(tl.turnout), m: fmtNumber(tl.electorateSize) })} ·{' '}
        {tl.quorumReached ? t('proposal.quorumReached') : t('proposal.quorumMissed')}
      </p>
    </div>
  );
}

function Verify({ proposalId, initial }: { proposalId: string; initial: string }) {
  const [code, setCode] = useState(initial);
  const [result, setResult] = useState<boolean | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function check(e: Event) {
    e.preventDefault();
    setError(null);
    setResult(null);
    try {
      const d = await gql<{ verifyReceipt: boolean }>('query Verify($proposalId: ID!, $receipt: String!) { verifyReceipt(proposalId: $proposalId, receipt: $receipt) }', {
        proposalId,
        receipt: code.trim(),
      });
      setResult(d.verifyReceipt);
    } catch (err) {
      setError(err);
    }
  }
  return (
    <form class="form verify" onSubmit={check}>
      <div class="field">
        <label for="verify-code">{t('proposal.verify')}</label>
        <input id="verify-code" dir="ltr" value={code} required onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <Button type="submit" icon="check">
        {t('proposal.verifyButton')}
      </Button>
      {result != null && <Msg kind={result ? 'ok' : 'warn'} testid="verify-result">{t(result ? 'proposal.verifyOk' : 'proposal.verifyNo')}</Msg>}
      <ErrorBox error={error} />
    </form>
  );
}

function Comments({ prop, me, onAdded }: { prop: Proposal; me: Me; onAdded: () => void }) {
  const [body, setBody] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [withdrawing, setWithdrawing] = useState(false);
  const open = prop.status === 'DISCUSSION' || prop.status === 'VOTING';
  async function add(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await gql('mutation Comment($proposalId: ID!, $body: String!) { addComment(proposalId: $proposalId, body: $body) { id } }', { proposalId: prop.id, body: body.trim() });
      setBody('');
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  async function withdraw() {
    setError(null);
    try {
      await gql('mutation Withdraw($id: ID!) { withdrawProposal(id: $id) { id status } }', { id: prop.id });
      onAdded();
    } catch (err) {
      setError(err);
    }
  }
  const comments = prop.comments ?? [];
  return (
    <section class="card" aria-labelledby="comments-h">
      <h2 id="comments-h">
        <Icon name="comment" /> {t('proposal.comments')} <span class="count">{fmtNumber(comments.length)}</span>
      </h2>
      {comments.length === 0 && <p class="empty">{t('proposal.noComments')}</p>}
      <ul class="comments">
        {comments.map((c) => (
          <li key={c.id} data-testid="comment">
            <p class="meta">
              <span>
                <strong>{c.author.displayName}</strong> · {fmtRelative(dt(c.createdAt))}
              </span>
            </p>
            <p dir="auto" class="comment-body">{c.body}</p>
          </li>
        ))}
      </ul>
      {open && (
        <form class="form" onSubmit={add}>
          <div class="field">
            <label for="comment-body">{t('proposal.addComment')}</label>
            <textarea id="comment-body" data-testid="comment-body" rows={3} required value={body} onInput={(e) => setBody((e.currentTarget as HTMLTextAreaElement).value)} />
          </div>
          <Button type="submit" icon="comment" disabled={busy || !body.trim()} data-testid="comment-submit">
            {t('proposal.send')}
          </Button>
        </form>
      )}
      <ErrorBox error={error} context="comment" />
      {prop.author.id === me.id && prop.status === 'DISCUSSION' && (
        <div class="actions">
          {!withdrawing ? (
            <Button variant="danger" icon="trash" onClick={() => setWithdrawing(true)}>
              {t('proposal.withdraw')}
            </Button>
          ) : (
            <>
              <span>{t('proposal.withdrawQ')}</span>
              <Button variant="danger" icon="check" onClick={withdraw}>
                {t('cancel.yes')}
              </Button>
              <Button onClick={() => setWithdrawing(false)}>{t('cancel.keep')}</Button>
            </>
          )}
        </div>
      )}
    </section>
  );
}
