// Fails when a translation key is missing: fr, en and ar must hold the same keys with
// the same {placeholders}; every key the source uses must exist. Other languages
// (ps, so, ru, sq, uk...) may be partial: French fills the gaps, but they may not add keys.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'src/i18n');
const REQUIRED = ['fr', 'en', 'ar'];
const langs = {};
for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  langs[f.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(dir, f), 'utf8'));
}
const problems = [];
for (const l of REQUIRED) if (!langs[l]) problems.push(`missing file ${l}.json`);

const ref = langs.fr ?? {};
const placeholders = (s) => [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');

for (const [l, dict] of Object.entries(langs)) {
  if (!dict['lang.name']) problems.push(`${l}: no "lang.name"`);
  for (const k of Object.keys(dict)) {
    if (!(k in ref)) problems.push(`${l}: key "${k}" is not in fr.json`);
    else if (placeholders(dict[k]) !== placeholders(ref[k])) problems.push(`${l}: "${k}" has placeholders {${placeholders(dict[k])}} but fr has {${placeholders(ref[k])}}`);
    if (typeof dict[k] !== 'string') problems.push(`${l}: "${k}" is not a string`);
  }
  if (REQUIRED.includes(l)) {
    for (const k of Object.keys(ref)) if (!(k in dict)) problems.push(`${l}: missing key "${k}"`);
    for (const [k, v] of Object.entries(dict)) if (v === '' && k !== 'live.off') problems.push(`${l}: "${k}" is empty`);
  }
}

// Keys the source uses.
const used = new Set();
function walk(d) {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.(tsx?|mjs)$/.test(e.name)) {
      const src = readFileSync(p, 'utf8');
      for (const m of src.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]);
      for (const m of src.matchAll(/\?\s*'([a-z][a-zA-Z]*\.[a-zA-Z0-9_.]+)'\s*:\s*'([a-z][a-zA-Z]*\.[a-zA-Z0-9_.]+)'/g)) { used.add(m[1]); used.add(m[2]); }
      for (const m of src.matchAll(/label: '([a-z]+\.[a-zA-Z0-9_.]+)'/g)) used.add(m[1]);
      for (const m of src.matchAll(/\b(?:taken|invalid): '([a-z][a-zA-Z]*\.[a-zA-Z0-9_.]+)'/g)) used.add(m[1]);
    }
  }
}
walk(join(root, 'src'));
// Keys built from enum values.
const enums = {
  status: ['PENDING', 'CONFIRMED', 'CHECKED_IN', 'COMPLETED', 'NO_SHOW', 'CANCELLED'],
  error: ['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'QUOTA_EXCEEDED', 'QUALIFICATION_REQUIRED', 'OUTSIDE_OPENING_HOURS', 'INVALID_STATE', 'NETWORK', 'SERVER', 'UNKNOWN', 'GRAPHQL_VALIDATION_FAILED'],
  proposalStatus: ['DISCUSSION', 'VOTING', 'ADOPTED', 'REJECTED', 'NO_QUORUM', 'WITHDRAWN'],
  vote: ['YES', 'NO', 'ABSTAIN'],
  'proposals.tab': ['VOTING', 'DISCUSSION', 'CLOSED'],
  'proposals.empty': ['VOTING', 'DISCUSSION', 'CLOSED'],
  'proposal.result': ['ADOPTED', 'REJECTED', 'NO_QUORUM'],
  badgeStatus: ['ACTIVE', 'LOST', 'REVOKED'],
  reason: ['UNKNOWN_BADGE', 'BADGE_INACTIVE', 'STAFF', 'NO_MEMBERSHIP', 'MEMBER_ANYTIME', 'BOOKING_WINDOW', 'QUALIFICATION_REQUIRED', 'NO_BOOKING'],
  role: ['MEMBER', 'STEWARD', 'AUDITOR', 'ADMIN'],
  membershipRole: ['MEMBER', 'COORDINATOR'],
  granularity: ['DAY', 'WEEK', 'MONTH'],
  unit: ['hour', 'minute', 'day', 'percent'],
  live: ['connecting', 'live', 'offline'],
};
for (const [prefix, values] of Object.entries(enums)) for (const v of values) used.add(`${prefix}.${v}`);
const ruleKeys = ['WEEKLY_QUOTA_MINUTES', 'MAX_ADVANCE_DAYS', 'CANCELLATION_NOTICE_MINUTES', 'NO_SHOW_RELEASE_MINUTES', 'ACCESS_GRACE_MINUTES', 'QUORUM_PERCENT', 'ADOPTION_THRESHOLD_PERCENT', 'DISCUSSION_MIN_HOURS', 'ACCESS_LOG_RETENTION_DAYS'];
for (const k of ruleKeys) { used.add(`rule.${k}.label`); used.add(`rule.${k}.help`); }
for (const k of used) if (!(k in ref)) problems.push(`source uses "${k}" but fr.json lacks it`);

const partial = Object.keys(langs).filter((l) => !REQUIRED.includes(l));
for (const l of partial) {
  const missing = Object.keys(ref).filter((k) => !(k in langs[l])).length;
  if (missing) console.log(`note: ${l}.json misses ${missing} keys (French is shown for them)`);
}
if (problems.length) {
  for (const p of problems) console.error(`i18n: ${p}`);
  console.error(`i18n check failed: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`i18n check passed: ${Object.keys(ref).length} keys, languages ${Object.keys(langs).join(', ')}, ${used.size} keys used by the source`);
