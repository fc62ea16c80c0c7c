import { useEffect } from 'preact/hooks';
import { gql } from '../api';
import { ErrorBox, PageTitle, Spinner, tb } from '../components/ui';
import { useLoad } from '../hooks';
import { NAMES, localName, t } from '../i18n';
import { Icon } from '../icons';
import { live } from '../live';
import { linkClick } from '../router';
import { ruleHelp, ruleLabel, ruleValue } from '../rules';
import { dt, fmtDate } from '../time';
import { RULE_KEYS, type HouseRule } from '../types';

export const HOUSE_RULES_QUERY = `query HouseRules { houseRules { key value resource { id name ${NAMES} } setBy { id title } updatedAt } }`;

/** The house rules, with the proposal that set each and the names of their spaces. */
export async function loadHouseRules(): Promise<HouseRule[]> {
  return (await gql<{ houseRules: HouseRule[] }>(HOUSE_RULES_QUERY)).houseRules;
}

export function RulesPage() {
  const rules = useLoad(loadHouseRules, []);
  useEffect(() => live.on((e) => e.type === 'rules.changed' && rules.reload()), []);

  const order = (r: HouseRule) => RULE_KEYS.indexOf(r.key);
  const houseWide = (rules.data ?? []).filter((r) => !r.resource).sort((a, b) => order(a) - order(b));
  const byResource = new Map<string, { name: string; rules: HouseRule[] }>();
  for (const r of rules.data ?? []) {
    if (!r.resource) continue;
    const g = byResource.get(r.resource.id) ?? { name: localName(r.resource), rules: [] };
    g.rules.push(r);
    byResource.set(r.resource.id, g);
  }

  return (
    <section class="page">
      <PageTitle icon="rules">{t('rules.title')}</PageTitle>
      <p class="lead">{t('rules.intro')}</p>
      {rules.error ? <ErrorBox error={rules.error} /> : null}
      {rules.loading && !rules.data && <Spinner />}
      {rules.data && (
        <>
          <h2>{t('rules.houseWide')}</h2>
          <RuleList rules={houseWide} />
          {[...byResource.entries()].map(([id, g]) => (
            <div key={id}>
              <h2><span>{tb('rules.forResource', { name: g.name })}</span></h2>
              <RuleList rules={g.rules.sort((a, b) => order(a) - order(b))} />
            </div>
          ))}
          {rules.data.length === 0 && <p>{t('rules.none')}</p>}
        </>
      )}
    </section>
  );
}

function RuleList({ rules }: { rules: HouseRule[] }) {
  return (
    <ul class="rule-list">
      {rules.map((r) => (
        <li key={`${r.key}-${r.resource?.id ?? ''}`} class="card rule" data-testid="rule" data-key={r.key}>
          <div class="rule-head">
            <h3>{ruleLabel(r.key)}</h3>
            <p class="rule-value" data-testid="rule-value">{ruleValue(r.key, r.value)}</p>
          </div>
          <p>{ruleHelp(r.key)}</p>
          <p class="hint">
            <Icon name="clock" size={16} />{' '}
            {r.setBy ? (
              <>
                {t('rules.setBy')}{' '}
                <a href={`/proposals/${r.setBy.id}`} onClick={linkClick}>
                  {r.setBy.title}
                </a>
                {' · '}
              </>
            ) : (
              <>{t('rules.founding')} · </>
            )}
            {t('rules.since', { date: fmtDate(dt(r.updatedAt)) })}
          </p>
        </li>
      ))}
    </ul>
  );
}
