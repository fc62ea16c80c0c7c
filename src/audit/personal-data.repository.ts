import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';

/** Reads and erases everything held about one person, across every table that names them. */
@Injectable()
export class PersonalDataRepository {
  constructor(private readonly db: Db) {}

  async collect(personId: string): Promise<Record<string, unknown>> {
    const q = (sql: string) => this.db.query(sql, [personId]);
    const [profile] = await q(`SELECT id, display_name AS "displayName", handle, email, locale, roles, created_at AS "createdAt" FROM person WHERE id = $1`);
    return {
      profile,
      memberships: await q(`SELECT m.id, c.name AS collective, m.role, m.starts_at AS "startsAt", m.ends_at AS "endsAt" FROM membership m JOIN collective c ON c.id = m.collective_id WHERE m.person_id = $1 ORDER BY m.starts_at`),
      qualifications: await q(`SELECT q.name, g.granted_at AS "grantedAt", g.expires_at AS "expiresAt" FROM qualification_grant g JOIN qualification q ON q.id = g.qualification_id WHERE g.person_id = $1`),
      bookingsMade: await q(`SELECT b.id, r.name AS resource, c.name AS collective, b.title, b.starts_at AS "startsAt", b.ends_at AS "endsAt", b.status, b.price_cents AS "priceCents" FROM booking b JOIN resource r ON r.id = b.resource_id JOIN collective c ON c.id = b.collective_id WHERE b.booked_by_id = $1 ORDER BY b.starts_at`),
      badges: await q(`SELECT id, label, status, issued_at AS "issuedAt" FROM badge WHERE person_id = $1 ORDER BY issued_at`),
      accessEvents: await q(`SELECT e.id, d.name AS door, e.at, e.decision, e.reason, e.offline FROM access_event e JOIN door d ON d.id = e.door_id WHERE e.person_id = $1 ORDER BY e.at`),
      proposals: await q(`SELECT id, title, body, status, created_at AS "createdAt" FROM proposal WHERE author_id = $1 ORDER BY created_at`),
      comments: await q(`SELECT c.id, p.title AS proposal, c.body, c.created_at AS "createdAt" FROM proposal_comment c JOIN proposal p ON p.id = c.proposal_id WHERE c.author_id = $1 ORDER BY c.created_at`),
      ballots: await q(`SELECT p.title AS proposal, b.choice, b.cast_at AS "castAt" FROM ballot b JOIN proposal p ON p.id = b.proposal_id WHERE b.voter_id = $1 ORDER BY b.cast_at`),
      electorates: await q(`SELECT p.title AS proposal, p.voting_ends_at AS "votingEndsAt" FROM proposal_voter v JOIN proposal p ON p.id = v.proposal_id WHERE v.person_id = $1 ORDER BY p.voting_ends_at`),
      // The ledger's record of what they did and of what was done about them or their badges (kinds and dates,
      // not payloads: those may describe other people).
      activity: await q(
        `SELECT seq, at, type, 'actor' AS you, subject_type AS "subjectType" FROM event_log WHERE actor_id = $1
          UNION ALL
         SELECT seq, at, type, 'subject', subject_type FROM event_log
          WHERE (subject_id = $1 OR subject_id IN (SELECT id FROM badge WHERE person_id = $1)) AND actor_id IS DISTINCT FROM $1
          ORDER BY seq`,
      ),
    };
  }

  /**
   * Anonymises the profile and removes what identifies the person; bookings, ballots and
   * tallies keep pointing at the anonymised row so every figure stays correct.
   */
  async anonymise(personId: string, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE person SET display_name = 'Ancien·ne membre', handle = 'erased-' || substr(replace(id::text, '-', ''), 1, 12), email = NULL,
              password_hash = NULL, invite_code_hash = NULL, invite_expires_at = NULL, calendar_token_hash = NULL,
              roles = '{MEMBER}', erased_at = $2 WHERE id = $1`,
      [personId, at],
    );
    await this.db.query(`DELETE FROM membership WHERE person_id = $1 AND starts_at >= $2`, [personId, at]);
    await this.db.query(`UPDATE membership SET ends_at = $2 WHERE person_id = $1 AND (ends_at IS NULL OR ends_at > $2)`, [personId, at]);
    await this.db.query(`DELETE FROM qualification_grant WHERE person_id = $1`, [personId]);
    await this.db.query(`UPDATE proposal_comment SET body = '[message supprimé]' WHERE author_id = $1`, [personId]);
    // Their cards become unknown cards: a tap after the erasure must not be tied to them again.
    await this.db.query(`UPDATE access_event SET badge_id = NULL WHERE badge_id IN (SELECT id FROM badge WHERE person_id = $1)`, [personId]);
    await this.db.query(`DELETE FROM badge WHERE person_id = $1`, [personId]);
  }
}
