export const ROLES = ['admin', 'treasurer', 'holder', 'la_officer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as bound to their token: a treasurer to one co-op, a holder to one member, an officer to one LA. */
export interface Principal {
  tokenId: string;
  role: Role;
  coopId: string | null;
  memberId: string | null;
  localAuthorityId: string | null;
}
