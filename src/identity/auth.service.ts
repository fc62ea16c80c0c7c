import { Injectable } from '@nestjs/common';
import { Actor } from '../common/auth/actor';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { SessionsRepository } from '../common/auth/sessions.repository';
import { TokenService } from '../common/auth/token.service';
import { Clock } from '../common/time/clock';
import { EventLogRepository } from '../audit/event-log.repository';
import { Db } from '../database/db';
import { DeviceKeys } from './device-keys';
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
    private readonly sessions: SessionsRepository,
    private readonly deviceKeys: DeviceKeys,
    private readonly events: EventLogRepository,
    private readonly clock: Clock,
    private readonly db: Db,
  ) {}

  /**
   * An unknown identifier and a wrong password get the same answer, in the same time. Runs
   * outside any transaction (no write to roll back). Each attempt is counted before its
   * password is checked, in one statement: guesses sent all at once get no more than
   * MAX_LOGIN_FAILURES checks between them. Attempts are counted per name typed (an e-mail and
   * a handle apart, as for unknown names), and apart on a device that has logged in as that
   * person before (deviceKeys): a stranger's guesses lock out strangers, not the person on
   * their own phone. Not per person: someone who knows an e-mail could lock it, then try a
   * handle, and a lockout would tell them that the two are one person.
   */
  async login(identifier: string, password: string, deviceKeys: readonly string[] = []): Promise<{ token: string; person: PersonEntity; deviceKey: string }> {
    const now = this.clock.now();
    const person = identifier.length <= 254 && password.length <= PASSWORD_MAX ? await this.persons.findForLogin(identifier) : null;
    const device = person ? await this.deviceKeys.matching(person.id, deviceKeys) : null;
    const key = device ? sha256(`device:${device}`) : nameAttemptsKey(identifier);
    if ((await this.persons.countLoginAttempt(key, now, LOGIN_WINDOW_MINUTES)) > MAX_LOGIN_FAILURES) {
      throw new AppError(ErrorCode.UNAUTHENTICATED, `Too many attempts. Please wait ${LOGIN_WINDOW_MINUTES} minutes and try again.`, {
        reason: 'TOO_MANY_ATTEMPTS',
        retryAfterMinutes: LOGIN_WINDOW_MINUTES,
      });
    }
    const ok = await this.hasher.verify(person?.passwordHash ?? null, password.slice(0, PASSWORD_MAX));
    if (!person || !ok) throw AppError.unauthenticated('Wrong name or password.');
    await this.persons.clearLoginFailures(key);
    const { passwordHash: _secret, ...visible } = person;
    return { token: await this.tokens.issue(person.id), person: visible as PersonEntity, deviceKey: device ?? (await this.deviceKeys.issue(person.id)) };
  }

  /**
   * The code works once, also when it is sent several times at the same moment. It signs the
   * person out everywhere else (see redeemInviteCode); the token returned is this device's.
   */
  async redeemInvite(code: string, password: string): Promise<{ token: string; person: PersonEntity; deviceKey: string }> {
    assertPasswordShape(password);
    const normalized = normalizeInviteCode(code.slice(0, 64));
    const codeHash = normalized ? sha256(normalized) : null;
    const invalid = () => AppError.badInput('This invitation code is not valid. Ask a steward for a new one.');
    const person = codeHash ? await this.persons.findByInviteCodeHash(codeHash) : null;
    if (!person || !person.inviteExpiresAt || person.inviteExpiresAt <= this.clock.now()) throw invalid();
    // Hashed before the transaction: the slow part holds no pooled connection.
    const passwordHash = await this.hasher.hash(password);
    await this.db.transaction(async () => {
      const redeemed = await this.persons.redeemInviteCode(person.id, codeHash!, passwordHash);
      if (!redeemed) throw invalid();
      this.events.append({ type: 'person.invite_redeemed', actorId: person.id, subjectType: 'person', subjectId: person.id, payload: redeemed });
    });
    // Failed guesses of the old password must not keep the person out with the new one.
    for (const name of [person.handle, person.email]) if (name) await this.persons.clearLoginFailures(nameAttemptsKey(name));
    return { token: await this.tokens.issue(person.id), person, deviceKey: await this.deviceKeys.issue(person.id) };
  }

  /** Ends the session of the token this request came with; the person's other devices stay signed in. */
  async logout(actor: Actor): Promise<boolean> {
    if (!actor.session) throw AppError.invalidState('This request came without a session to end.');
    await this.sessions.revokeToken(actor.session.tokenId, actor.session.expiresAt);
    this.events.append({ type: 'person.signed_out', actorId: actor.personId, subjectType: 'person', subjectId: actor.personId, payload: { everywhere: false } });
    return true;
  }

  /**
   * Signs a person out on every device, this one included: for a lost or shared phone. Anyone
   * for themselves; a steward for a member who asks at the desk; only an admin for staff and
   * auditors.
   */
  async logoutEverywhere(actor: Actor, personId: string): Promise<boolean> {
    if (personId !== actor.personId) {
      if (!actor.isStaff) throw AppError.forbidden('Only a steward signs out someone else.');
      const person = await this.persons.findById(personId);
      if (!person || person.erasedAt) throw AppError.notFound('Person');
      if (!actor.mayHandleRoles(person.roles)) throw AppError.forbidden('Only an admin signs out a steward, an admin or an auditor.');
    }
    await this.sessions.advanceGeneration(personId);
    this.events.append({ type: 'person.signed_out', actorId: actor.personId, subjectType: 'person', subjectId: personId, payload: { everywhere: true } });
    return true;
  }
}

/** Where the login attempts with a name are counted (apart from known devices'), the way findForLogin reads the name. */
const nameAttemptsKey = (identifier: string) => sha256(identifier.trim().toLowerCase().slice(0, 254));

export function assertPasswordShape(password: string): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw AppError.badInput(`A password has ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`);
  }
}
