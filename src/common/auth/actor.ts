import { RoleName } from '../../identity/person.entity';

/** The authenticated person behind a request, as the authorization rules need them. */
export class Actor {
  constructor(
    readonly personId: string,
    readonly roles: readonly RoleName[],
    /** The token this request came with (absent for actors made in process, such as the demo's). */
    readonly session?: { tokenId: string; expiresAt: Date },
  ) {}

  has(role: RoleName): boolean {
    return this.roles.includes(role);
  }

  /** Stewards and admins run the house: they manage people, spaces and badges. */
  get isStaff(): boolean {
    return this.has('STEWARD') || this.has('ADMIN');
  }

  get isAdmin(): boolean {
    return this.has('ADMIN');
  }

  /**
   * Only an admin gives roles beyond MEMBER, so only an admin gives them or acts on an account
   * that holds one (erasing it, signing it out).
   */
  mayHandleRoles(roles: readonly RoleName[]): boolean {
    return this.isAdmin || roles.every((role) => role === 'MEMBER');
  }

  /** The City's auditors read aggregates and never anything about persons. */
  get isAuditorOnly(): boolean {
    return this.has('AUDITOR') && !this.isStaff && !this.has('MEMBER');
  }
}
