import type { Role } from '../domain/vocabulary';

export { ROLES, type Role } from '../domain/vocabulary';

/** Who is calling, as bound to their token: a treasurer to one co-op, a holder to one member, an officer to one LA. */
export interface Principal {
  tokenId: string;
  role: Role;
  coopId: string | null;
  memberId: string | null;
  localAuthorityId: string | null;
  /** When the token stops working: a token it creates may not outlive it. */
  expiresAt: Date;
  /** The person signed in, when the token is a browser session (people sign in; systems hold tokens). */
  personId?: string;
}
