import { createHash } from 'node:crypto';
import { canonicalJson, chainHash, contentAroundSeq } from '../src/audit/event-hash';

describe('canonical JSON of log entries', () => {
  const payload = {
    zeta: 1,
    alpha: { when: new Date('2027-03-28T01:30:00.000Z'), skipped: undefined, list: [1, undefined, 'é "quoted" \\ back'] },
    Émile: null,
    empty: {},
  };

  it('is the canonical JSON of what PostgreSQL gives back (JSON.stringify then JSON.parse)', () => {
    const roundTripped = JSON.parse(JSON.stringify(payload));
    expect(canonicalJson(payload)).toBe(canonicalJson(roundTripped));
    expect(JSON.parse(canonicalJson(payload))).toEqual(roundTripped);
  });

  it('sorts keys at every level and leaves undefined keys out', () => {
    expect(canonicalJson(payload)).toBe(
      '{"alpha":{"list":[1,null,"é \\"quoted\\" \\\\ back"],"when":"2027-03-28T01:30:00.000Z"},"empty":{},"zeta":1,"Émile":null}',
    );
  });

  it('splits around the seq exactly where the whole content has it', () => {
    const entry = { at: new Date('2027-10-31T01:30:00.000Z'), type: 'access.decided', actorId: null, subjectType: 'door', subjectId: 'd1', payload };
    const [before, after] = contentAroundSeq({ ...entry, payloadJson: canonicalJson(payload) });
    const whole = canonicalJson({ seq: 42, at: entry.at.toISOString(), type: entry.type, actorId: entry.actorId, subjectType: entry.subjectType, subjectId: entry.subjectId, payload });
    expect(`${before}42${after}`).toBe(whole);
    // event_log_append() hashes previous hash, newline, before + seq + after: chainHash's bytes.
    const previous = 'ab'.repeat(32);
    expect(createHash('sha256').update(`${previous}\n${before}42${after}`).digest('hex')).toBe(chainHash(previous, { ...entry, seq: 42 }));
  });
});
