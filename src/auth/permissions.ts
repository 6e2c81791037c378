import type { Principal, Role } from './principal';

/**
 * Access rules, checked before a request body is even validated. A rule looks only at the token and the path;
 * rules that need the database (an officer reading a holder of their LA) are finished in the use case.
 *
 * `not_found` is used where a 403 would confirm that another tenant's co-op, member or LA exists.
 */
export type Decision = 'allow' | 'forbidden' | 'not_found';
export type PathParams = Readonly<Record<string, string | undefined>>;
export type Rule = (principal: Principal, params: PathParams) => Decision;

const byRole =
  (role: Role, inTenant: (principal: Principal, params: PathParams) => boolean): Rule =>
  (principal, params) => {
    if (principal.role !== role) return 'forbidden';
    return inTenant(principal, params) ? 'allow' : 'not_found';
  };

export const admin: Rule = byRole('admin', () => true);

/** Any valid token: the use case decides what the caller may see (e.g. revoking one's own token). */
export const anyone: Rule = () => 'allow';

export const treasurerOfCoop: Rule = byRole('treasurer', (p, params) => p.coopId === params.coopId);

/** A holder in the co-op of the path; what they see inside it is narrowed by the use case. */
export const holderOfCoop: Rule = byRole('holder', (p, params) => p.coopId === params.coopId);

/** A holder asking about themselves (path `:memberId`). */
export const holderSelf: Rule = byRole(
  'holder',
  (p, params) => p.coopId === params.coopId && p.memberId === params.memberId,
);

/** Any treasurer: the use case checks the co-op named in the body. */
export const anyTreasurer: Rule = byRole('treasurer', () => true);

/** An LA officer on a route under a co-op: the use case lets them see only their own LA's holders. */
export const laOfficer: Rule = byRole('la_officer', () => true);

export const laOfficerOfLa: Rule = byRole('la_officer', (p, params) => p.localAuthorityId === params.laId);

/** Allowed if any rule allows; hidden (404) if a rule for the caller's role hides it; otherwise forbidden. */
export function anyOf(...rules: Rule[]): Rule {
  return (principal, params) => {
    const decisions = rules.map((rule) => rule(principal, params));
    if (decisions.includes('allow')) return 'allow';
    if (decisions.includes('not_found')) return 'not_found';
    return 'forbidden';
  };
}

/** Whether the caller may see this member's details and money (checked once the member is loaded). */
export function canReadMember(
  principal: Principal,
  member: { id: string; coopId: string; localAuthorityId: string | null },
): boolean {
  switch (principal.role) {
    case 'treasurer':
      return principal.coopId === member.coopId;
    case 'holder':
      return principal.memberId === member.id;
    case 'la_officer':
      return member.localAuthorityId !== null && principal.localAuthorityId === member.localAuthorityId;
    case 'admin':
    case 'supporter': // a supporter reads a holder's money as that holder (see services/people/supporters.ts)
      return false;
  }
}
