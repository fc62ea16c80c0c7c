import { MigrationInterface, QueryRunner } from 'typeorm';

/** Proposals, their rule changes and comments, the frozen electorate and secret ballots. */
export class Governance1764000000003 implements MigrationInterface {
  name = 'Governance1764000000003';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE proposal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
        author_id uuid NOT NULL REFERENCES person(id),
        status text NOT NULL CHECK (status IN ('DISCUSSION','VOTING','ADOPTED','REJECTED','NO_QUORUM','WITHDRAWN')),
        created_at timestamptz NOT NULL,
        discussion_ends_at timestamptz NOT NULL,
        voting_ends_at timestamptz NOT NULL,
        quorum_percent integer NOT NULL CHECK (quorum_percent BETWEEN 1 AND 100),
        threshold_percent integer NOT NULL CHECK (threshold_percent BETWEEN 1 AND 100),
        electorate_size integer,
        yes_count integer,
        no_count integer,
        abstain_count integer,
        quorum_reached boolean,
        adopted boolean,
        closed_at timestamptz,
        CONSTRAINT proposal_periods_valid CHECK (discussion_ends_at > created_at AND voting_ends_at > discussion_ends_at)
      )`);
    await db.query(`CREATE INDEX proposal_open_idx ON proposal (discussion_ends_at, voting_ends_at) WHERE status IN ('DISCUSSION','VOTING')`);

    await db.query(`
      CREATE TABLE proposal_rule_change (
        proposal_id uuid NOT NULL REFERENCES proposal(id),
        position integer NOT NULL,
        key text NOT NULL,
        resource_id uuid REFERENCES resource(id),
        value integer NOT NULL,
        PRIMARY KEY (proposal_id, position)
      )`);

    await db.query(`
      CREATE TABLE proposal_comment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        proposal_id uuid NOT NULL REFERENCES proposal(id),
        author_id uuid NOT NULL REFERENCES person(id),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
        created_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX proposal_comment_proposal_idx ON proposal_comment (proposal_id, created_at)`);

    // Frozen when voting opens: one row per person, however many collectives they are in.
    await db.query(`
      CREATE TABLE proposal_voter (
        proposal_id uuid NOT NULL REFERENCES proposal(id),
        person_id uuid NOT NULL REFERENCES person(id),
        PRIMARY KEY (proposal_id, person_id)
      )`);

    // One ballot per person and proposal, enforced here; a recast replaces the row.
    // Only the holder's own choice is ever served; receipts are stored as hashes.
    await db.query(`
      CREATE TABLE ballot (
        proposal_id uuid NOT NULL,
        voter_id uuid NOT NULL,
        choice text NOT NULL CHECK (choice IN ('YES','NO','ABSTAIN')),
        receipt_hash text NOT NULL UNIQUE,
        cast_at timestamptz NOT NULL,
        CONSTRAINT ballot_one_per_person PRIMARY KEY (proposal_id, voter_id),
        FOREIGN KEY (proposal_id, voter_id) REFERENCES proposal_voter (proposal_id, person_id)
      )`);

    await db.query(`ALTER TABLE house_rule ADD CONSTRAINT house_rule_set_by_proposal_fkey FOREIGN KEY (set_by_proposal_id) REFERENCES proposal(id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE house_rule DROP CONSTRAINT house_rule_set_by_proposal_fkey`);
    await db.query(`DROP TABLE ballot, proposal_voter, proposal_comment, proposal_rule_change, proposal`);
  }
}
