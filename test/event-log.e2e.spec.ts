import { EventLogRepository } from '../src/audit/event-log.repository';
import { GENESIS_HASH, chainHash } from '../src/audit/event-hash';
import { verifyLedger } from '../src/audit/ledger-verifier';
import { CollectivesService } from '../src/identity/collectives.service';
import { CollectiveForm, TariffTier } from '../src/identity/models/identity.enums';
import { HouseBuilder, TestPerson } from './support/house';
import { TestApp, startTestApp } from './support/test-app';

describe('the event log', () => {
  let t: TestApp;
  let steward: TestPerson;

  beforeAll(async () => {
    t = await startTestApp();
    steward = await new HouseBuilder(t).steward();
  });
  afterAll(() => t.close());

  const create = (name: string) =>
    t.gql(`mutation($name: String!) { createCollective(input: { name: $name, form: ASBL, tariffTier: REDUCED }) { id } }`, { name }, steward.token);

  it('gets one row per state change, in the same transaction, naming actor and subject', async () => {
    const response = await create('Logged collective');
    const id = response.data.createCollective.id;
    const rows = await t.sql(`SELECT type, actor_id, subject_type, subject_id, payload FROM event_log WHERE subject_id = $1`, [id]);
    expect(rows).toEqual([
      { type: 'collective.created', actor_id: steward.id, subject_type: 'collective', subject_id: id, payload: { name: 'Logged collective', form: 'ASBL', tariffTier: 'REDUCED', publicListing: false } },
    ]);
  });

  it('rolls back with the change it reports, and the change with it', async () => {
    const before = await t.sql(`SELECT (SELECT count(*) FROM collective)::int AS c, (SELECT count(*) FROM event_log)::int AS e`);
    await expect(
      t.db.transaction(async () => {
        await t.app.get(CollectivesService).create(null, { name: 'Never committed', form: CollectiveForm.INFORMAL, tariffTier: TariffTier.STANDARD });
        throw new Error('fails after the append');
      }),
    ).rejects.toThrow('fails after the append');
    expect(await t.sql(`SELECT (SELECT count(*) FROM collective)::int AS c, (SELECT count(*) FROM event_log)::int AS e`)).toEqual(before);
  });

  it('numbers entries in commit order: a transaction that commits later gets the higher seq', async () => {
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    const service = t.app.get(CollectivesService);
    const first = t.db.transaction(async () => {
      const c = await service.create(null, { name: 'First started', form: CollectiveForm.INFORMAL, tariffTier: TariffTier.STANDARD });
      await firstMayCommit;
      return c.id;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = t.db.transaction(async () => (await service.create(null, { name: 'Second started', form: CollectiveForm.INFORMAL, tariffTier: TariffTier.STANDARD })).id);
    const secondId = await second;
    releaseFirst();
    const firstId = await first;
    const [a] = await t.sql(`SELECT seq FROM event_log WHERE subject_id = $1`, [firstId]);
    const [b] = await t.sql(`SELECT seq FROM event_log WHERE subject_id = $1`, [secondId]);
    expect(Number(b.seq)).toBeLessThan(Number(a.seq));
  });

  it('stays gapless and hash-chained under concurrent mutations', async () => {
    const responses = await Promise.all(Array.from({ length: 25 }, (_, i) => create(`Concurrent ${i}`)));
    for (const response of responses) expect(response.errors).toBeUndefined();
    const rows = await t.sql(`SELECT seq, at, actor_id, type, subject_type, subject_id, payload, prev_hash, hash FROM event_log ORDER BY seq`);
    let previous = GENESIS_HASH;
    rows.forEach((row, index) => {
      expect(Number(row.seq)).toBe(index + 1);
      expect(row.prev_hash).toBe(previous);
      const hash = chainHash(previous, {
        seq: Number(row.seq), at: row.at, type: row.type, actorId: row.actor_id, subjectType: row.subject_type, subjectId: row.subject_id, payload: row.payload,
      });
      expect(row.hash).toBe(hash);
      previous = hash;
    });
    expect(await t.app.get(EventLogRepository).latestSeq()).toBe(rows.length);
  });

  it('is append-only in the database itself', async () => {
    await expect(t.sql(`UPDATE event_log SET type = 'edited' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM event_log WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`TRUNCATE event_log`)).rejects.toThrow(/append-only/);
  });

  it('chains ids as the database stores them: an id a client writes in capitals leaves the ledger intact', async () => {
    const house = new HouseBuilder(t);
    const member = await house.member();
    const hygiene = await house.qualification('Hygiène (capitals)');
    await t.gqlOk(`mutation($p: ID!, $q: ID!) { grantQualification(personId: $p, qualificationId: $q) { expiresAt } }`, { p: member.id.toUpperCase(), q: hygiene.toUpperCase() }, steward.token);
    await t.gqlOk(`mutation($id: ID!) { erasePerson(id: $id) { id } }`, { id: member.id.toUpperCase() }, steward.token);
    expect(await t.sql(`SELECT count(*)::int AS n FROM event_log WHERE subject_id = $1 AND type IN ('qualification.granted', 'person.erased')`, [member.id])).toEqual([{ n: 2 }]);
    expect(await verifyLedger((sql, parameters) => t.sql(sql, parameters))).toMatchObject({ ok: true, firstBroken: null });
  });

  it('names a log cut short, even when what is left still chains', async () => {
    await create('Before the cut');
    const [{ seq: headSeq }] = await t.sql(`SELECT seq FROM event_log_head`);
    const keep = Number(headSeq) - 2;
    // Someone with the database's keys: the append-only trigger off, the last two entries gone.
    await t.sql(`ALTER TABLE event_log DISABLE TRIGGER event_log_append_only`);
    try {
      await t.sql(`DELETE FROM event_log WHERE seq > $1`, [keep]);
    } finally {
      await t.sql(`ALTER TABLE event_log ENABLE TRIGGER event_log_append_only`);
    }
    expect(await verifyLedger((sql, parameters) => t.sql(sql, parameters))).toMatchObject({ ok: false, checked: keep, firstBroken: { seq: keep + 1 } });
  });
});
