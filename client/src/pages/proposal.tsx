import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api';
import { BarChart } from '../components/charts';
import { Button, CopyButton, ErrorBox, Msg, Spinner, tb } from '../components/ui';
import { useLoad, useTick } from '../hooks';
import { NAMES, localName, t } from '../i18n';
import { Icon, type IconName } from '../icons';
import { live } from '../live';
import { linkClick } from '../router';
import { ruleLabel, ruleValue } from '../rules';
import { dt, fmtDateTime, fmtNumber, fmtRelative, now } from '../time';
import type { Me, Proposal, VoteChoice } from '../types';
import { loadHouseRules } from './rules';
import { StatusChip, timeLine } from './proposals';

const PROPOSAL_QUERY = `query Proposal($id: ID!) { proposal(id: $id) {
  id title body status createdAt discussionEndsAt votingEndsAt quorumPercent thresholdPercent
  electorateSize turnout myVote canVote author { id displayName }
  ruleChanges { key value resource { id name ${NAMES} } }
  tally { yes no abstain electorateSize turnout quorumReached adopted }
  comments { id body createdAt author { id displayName } }
} }`;

const CHOICES: { choice: VoteChoice; icon: IconName }[] = [
  { choice: 'YES', icon: 'check' },
  { choice: 'NO', icon: 'cross' },
  { choice: 'ABSTAIN', icon: 'minus' },
];

/** The receipt of my last ballot. Only the receipt is kept, never the choice: a shared phone must not tell how someone voted. */
interface Receipt {
  receipt: string;
  castAt: string;
}

/** Kept on this device per person and proposal, so that it can be checked after the close. */
const receiptKey = (personId: string, proposalId: string) => `tl.receipt.${personId}.${proposalId}`;

function savedReceipt(personId: string, proposalId: string): Receipt | null {
  try {
    const s = localStorage.getItem(receiptKey(personId, proposalId));
    const r = s ? (JSON.parse(s) as Partial<Receipt>) : null;
    return r && typeof r.receipt === 'string' && typeof r.castAt === 'string' ? { receipt: r.receipt, castAt: r.castAt } : null;
  } catch {
    return null;
  }
}

function saveReceipt(personId: string, proposalId: string, r: Receipt): void {
  try {
    localStorage.setItem(receiptKey(personId, proposalId), JSON.stringify(r));
  } catch {
    /* private mode: the receipt stays on screen until the page closes */
  }
}

export function ProposalPage({ me, id }: { me: Me; id: string }) {
  useTick(30_000);
  const p = useLoad(() => gql<{ proposal: Proposal | null }>(PROPOSAL_QUERY, { id }).then((d) => d.proposal), [id]);
  const rules = useLoad(() => loadHouseRules(), []);
  useEffect(
    () =>
      live.on((e) => {
        if (e.type === 'proposal.changed' && e.proposal.id === id) {
          // Turnout and status show at once; comments, the tally and my rights come with the reload.
          p.set((d) => (d ? { ...d, turnout: e.proposal.turnout, status: e.proposal.status } : d));
          p.reload();
        }
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
        <h1 dir="auto">{prop.title}</h1>
        <StatusChip status={prop.status} />
      </div>
      <p class="meta">
        <span>{tb('proposal.by', { name: prop.author.displayName, when: fmtRelative(dt(prop.createdAt)) })}</span>
      </p>
      <p class="meta time-left" data-testid="time-left">
        <Icon name="clock" size={18} />
        <span>
          <strong>{timeLine(prop)}</strong>
          {(prop.status === 'DISCUSSION' || prop.status === 'VOTING') && (
            <> · {fmtDateTime(dt(prop.status === 'DISCUSSION' ? prop.discussionEndsAt : prop.votingEndsAt))}</>
          )}
        </span>
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
                  {c.resource && <> (<bdi>{localName(c.resource)}</bdi>)</>}
                  {prop.status === 'ADOPTED' ? (
                    <div class="from-to">
                      <span class="to">{ruleValue(c.key, c.value)}</span>
                      <span class="chip chip-adopted">{t('proposal.inForce')}</span>
                    </div>
                  ) : (
                    <div class="from-to">
                      <span class="from-to-part">
                        <small>{t('proposal.now')}</small>
                        <span class="from" data-testid="current-value">{cur ? ruleValue(c.key, cur.value) : t('proposal.noValue')}</span>
                      </span>
                      <Icon name="next" flip size={20} />
                      <span class="from-to-part">
                        <small>{t('proposal.proposed')}</small>
                        <span class="to" data-testid="proposed-value">{ruleValue(c.key, c.value)}</span>
                      </span>
                    </div>
                  )}
                  <p class="hint">{t(`rule.${c.key}.help`)}</p>
                </li>
              );
            })}
          </ul>
        </section>
      )}

      <VoteSection prop={prop} me={me} onVoted={p.reload} />
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

function VoteSection({ prop, me, onVoted }: { prop: Proposal; me: Me; onVoted: () => void }) {
  const [receipt, setReceipt] = useState<Receipt | null>(() => savedReceipt(me.id, prop.id));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<VoteChoice | null>(null);
  const [mine, setMine] = useState<VoteChoice | null>(prop.myVote);
  useEffect(() => setMine(prop.myVote), [prop.myVote]);
  useEffect(() => setReceipt(savedReceipt(me.id, prop.id)), [me.id, prop.id]);

  async function vote(choice: VoteChoice) {
    setBusy(choice);
    setError(null);
    try {
      const d = await gql<{ castVote: { receipt: string; castAt: string } }>(
        'mutation Vote($proposalId: ID!, $choice: VoteChoice!) { castVote(proposalId: $proposalId, choice: $choice) { proposalId receipt castAt } }',
        { proposalId: prop.id, choice },
      );
      const r = { receipt: d.castVote.receipt, castAt: d.castVote.castAt };
      saveReceipt(me.id, prop.id, r);
      setReceipt(r);
      setMine(choice);
      onVoted();
    } catch (err) {
      setError(err);
      onVoted(); // the vote may have closed meanwhile: show where it stands
    } finally {
      setBusy(null);
    }
  }

  const electorate = prop.electorateSize ?? prop.tally?.electorateSize ?? null;
  const quorumNeeded = electorate != null ? Math.ceil((prop.quorumPercent * electorate) / 100) : null;
  const voting = prop.status === 'VOTING';
  const closed = !voting && prop.status !== 'DISCUSSION';
  const allowed = voting && prop.canVote;

  return (
    <section class="card vote-card" aria-labelledby="vote-h">
      <h2 id="vote-h">{closed ? t('proposal.tally') : t('proposal.vote')}</h2>
      <p class="hint">
        {t('proposal.rulesOfVote', { quorum: fmtNumber(prop.quorumPercent), threshold: fmtNumber(prop.thresholdPercent) })}
      </p>
      {prop.status === 'DISCUSSION' && <Msg>{t('proposal.notYet')}</Msg>}
      {prop.status === 'WITHDRAWN' && <Msg>{t('proposal.withdrawn')}</Msg>}
      {voting && !prop.canVote && <Msg kind="warn" testid="not-voter">{t('proposal.notVoter')}</Msg>}

      {(voting || prop.status === 'DISCUSSION') && (
        <>
          <div class="ballot" role="group" aria-label={t('proposal.ballot')} data-testid="ballot">
            {CHOICES.map(({ choice, icon }) => (
              <button
                type="button"
                key={choice}
                class={`ballot-btn ballot-${choice.toLowerCase()}`}
                aria-pressed={mine === choice}
                disabled={!allowed || busy != null}
                aria-busy={busy === choice}
                data-testid={`vote-${choice.toLowerCase()}`}
                onClick={() => mine !== choice && vote(choice)}
              >
                <Icon name={icon} size={28} />
                <span>{t(`vote.${choice}`)}</span>
                {mine === choice && <span class="mine-mark">{t('proposal.yourChoice')}</span>}
              </button>
            ))}
          </div>
          {allowed && <p class="hint">{mine ? t('proposal.canChange') : t('proposal.tapToVote')}</p>}
          <ErrorBox error={error} context="vote" />
        </>
      )}

      {voting && (
        <div class="turnout" data-testid="turnout" data-turnout={prop.turnout} aria-live="polite">
          <p>
            <strong>
              {electorate != null
                ? t('proposal.turnoutOf', { n: fmtNumber(prop.turnout), m: fmtNumber(electorate) })
                : t('proposal.turnout', { n: fmtNumber(prop.turnout) })}
            </strong>
            {quorumNeeded != null && <> · {t('proposal.quorumNeeded', { n: fmtNumber(quorumNeeded) })}</>}
          </p>
          {electorate != null && electorate > 0 && (
            <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={electorate} aria-valuenow={prop.turnout} aria-label={t('proposal.turnoutLabel')}>
              <div class="progress-bar" style={{ width: `${Math.min(100, (prop.turnout / electorate) * 100)}%` }} />
              {quorumNeeded != null && <div class="progress-mark" style={{ insetInlineStart: `${Math.min(100, (quorumNeeded / electorate) * 100)}%` }} />}
            </div>
          )}
          <p class="hint">{t('proposal.secret')}</p>
        </div>
      )}

      {receipt && voting && (
        <div class="receipt" data-testid="receipt-box">
          <p>
            <Icon name="ticket" size={18} /> {t('proposal.receipt')}
          </p>
          <code data-testid="receipt" dir="ltr">
            {receipt.receipt}
          </code>
          <p class="hint">{t('proposal.receiptHint', { when: fmtDateTime(dt(receipt.castAt)) })}</p>
          <CopyButton text={receipt.receipt} />
        </div>
      )}
      {voting && mine && !receipt && <p class="hint">{t('proposal.receiptElsewhere')}</p>}

      {closed && prop.tally && <Result prop={prop} />}
      {closed && prop.status !== 'WITHDRAWN' && <Verify proposalId={prop.id} saved={receipt?.receipt ?? null} />}
    </section>
  );
}

const pct = (v: number) => fmtNumber(v, { style: 'percent', maximumFractionDigits: 0 });

function Result({ prop }: { prop: Proposal }) {
  const tl = prop.tally!;
  const outcome = prop.status === 'ADOPTED' ? 'ADOPTED' : prop.status === 'NO_QUORUM' ? 'NO_QUORUM' : 'REJECTED';
  const expressed = tl.yes + tl.no;
  return (
    <div class="result" data-testid="tally" data-outcome={outcome}>
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
      <ul class="result-lines">
        <li>
          {t('proposal.turnoutOf', { n: fmtNumber(tl.turnout), m: fmtNumber(tl.electorateSize) })}
          {tl.electorateSize > 0 && <> ({pct(tl.turnout / tl.electorateSize)})</>} ·{' '}
          {tl.quorumReached ? t('proposal.quorumReached') : t('proposal.quorumMissed')} ({t('proposal.quorumRule', { quorum: fmtNumber(prop.quorumPercent) })})
        </li>
        {expressed > 0 && <li>{t('proposal.yesShare', { yes: pct(tl.yes / expressed), threshold: fmtNumber(prop.thresholdPercent) })}</li>}
      </ul>
    </div>
  );
}

/** After the close: my saved receipt is checked at once; any receipt can be pasted and checked. */
function Verify({ proposalId, saved }: { proposalId: string; saved: string | null }) {
  const [code, setCode] = useState(saved ?? '');
  const [result, setResult] = useState<boolean | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function check(receipt: string) {
    setError(null);
    setResult(null);
    setBusy(true);
    try {
      const d = await gql<{ verifyReceipt: boolean }>('query Verify($proposalId: ID!, $receipt: String!) { verifyReceipt(proposalId: $proposalId, receipt: $receipt) }', {
        proposalId,
        receipt: receipt.trim(),
      });
      setResult(d.verifyReceipt);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  useEffect(() => {
    if (saved) {
      setCode(saved);
      void check(saved);
    }
  }, [saved, proposalId]);
  return (
    <form
      class="form verify"
      onSubmit={(e) => {
        e.preventDefault();
        void check(code);
      }}
    >
      <div class="field">
        <label for="verify-code">{t('proposal.verify')}</label>
        {saved && <p class="hint">{t('proposal.verifySaved')}</p>}
        <input id="verify-code" data-testid="verify-code" dir="ltr" autoComplete="off" spellcheck={false} value={code} required onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class="actions">
        <Button type="submit" icon="check" disabled={busy || !code.trim()} data-testid="verify-submit">
          {t('proposal.verifyButton')}
        </Button>
      </div>
      {result != null && (
        <div data-testid="verify-result" data-counted={String(result)}>
          <Msg kind={result ? 'ok' : 'warn'}>{t(result ? 'proposal.verifyOk' : 'proposal.verifyNo')}</Msg>
        </div>
      )}
      <ErrorBox error={error} context="verify" />
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
                <strong dir="auto">{c.author.displayName}</strong>
                {c.author.id === prop.author.id && <> ({t('proposal.authorMark')})</>} · <time dateTime={c.createdAt} title={fmtDateTime(dt(c.createdAt))}>{fmtRelative(dt(c.createdAt))}</time>
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
          <div class="actions">
            <Button type="submit" icon="comment" disabled={busy || !body.trim()} data-testid="comment-submit">
              {t('proposal.send')}
            </Button>
          </div>
        </form>
      )}
      <ErrorBox error={error} context="comment" />
      {prop.author.id === me.id && prop.status === 'DISCUSSION' && dt(prop.discussionEndsAt) > now() && (
        <div class="actions withdraw-zone">
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
              <Button focusOnMount onClick={() => setWithdrawing(false)}>
                {t('cancel.keep')}
              </Button>
            </>
          )}
        </div>
      )}
    </section>
  );
}
