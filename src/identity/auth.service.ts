import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { TokenService } from '../common/auth/token.service';
import { Clock } from '../common/time/clock';
import { EventLogRepository } from '../audit/event-log.repository';
import { Db } from '../database/db';
import { PasswordHasher } from './password-hasher';
import { PersonsRepository } from './persons.repository';
import { PersonEntity } from './person.entity';
import { normalizeInviteCode, sha256 } from './secret-codes';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;
/** After this many failures for one identifier in the window, logins wait for the window to pass. */
export const MAX_LOGIN_FAILURES = 10;
export const LOGIN_WINDOW_MINUTES = 15;

@Injectable()
export class AuthService {
  constructor(
    private readonly persons: PersonsRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly events: EventLogRepository,
    private readonly clock: Clock,
    private readonly db: Db,
  ) {}

  /**
   * An unknown identifier and a wrong password get the same answer, in the same time. Runs
   * outside any transaction (no write to roll back). Each attempt is counted before its
   * password is checked, in one statement: guesses sent all at once get no more than
   * MAX_LOGIN_FAILURES checks between them.
   */
  async login(identifier: string, password: string): Promise<{ token: string; person: PersonEntity }> {
    const now = this.clock.now();
    const key = sha256(identifier.trim().toLowerCase().slice(0, 254));
    if ((await this.persons.countLoginAttempt(key, now, LOGIN_WINDOW_MINUTES)) > MAX_LOGIN_FAILURES) {
      throw AppError.unauthenticated(`Too many attempts. Please wait ${LOGIN_WINDOW_MINUTES} minutes and try again.`);
    }
    const person = identifier.length <= 254 && password.length <= PASSWORD_MAX ? await this.persons.findForLogin(identifier) : null;
    const ok = await this.hasher.verify(person?.passwordHash ?? null, password.slice(0, PASSWORD_MAX));
    if (!person || !ok) throw AppError.unauthenticated('Wrong name or password.');
    await this.persons.clearLoginFailures(key);
    const { passwordHash: _secret, ...visible } = person;
    return { token: await this.tokens.issue(person.id), person: visible as PersonEntity };
  }

  /** The code works once, also when it is sent several times at the same moment. */
  async redeemInvite(code: string, password: string): Promise<{ token: string; person: PersonEntity }> {
    assertPasswordShape(password);
    const normalized = normalizeInviteCode(code.slice(0, 64));
    const codeHash = normalized ? sha256(normalized) : null;
    const invalid = () => AppError.badInput('This invitation code is not valid. Ask a steward for a new one.');
    const person = codeHash ? await this.persons.findByInviteCodeHash(codeHash) : null;
    if (!person || !person.inviteExpiresAt || person.inviteExpiresAt <= this.clock.now()) throw invalid();
    // Hashed before the transaction: the slow part holds no pooled connection.
    const passwordHash = await this.hasher.hash(password);
    await this.db.transaction(async () => {
      if (!(await this.persons.redeemInviteCode(person.id, codeHash!, passwordHash))) throw invalid();
      this.events.append({ type: 'person.invite_redeemed', actorId: person.id, subjectType: 'person', subjectId: person.id, payload: {} });
    });
    return { token: await this.tokens.issue(person.id), person };
  }
}

export function assertPasswordShape(password: string): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw AppError.badInput(`A password has ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`);
  }
}
