import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Account,
  AuditEvent,
  BankStatement,
  Booking,
  Coop,
  CoopOfLocalAuthority,
  Entry,
  HolderStatement,
  LaStatement,
  LocalAuthority,
  Match,
  Member,
  MemberBalance,
  Page,
  Payment,
  Period,
  Pool,
  PoolBalance,
  PoolStatement,
  Provider,
  Purchase,
  PurchaseCreated,
  PurchasingReport,
  Quote,
  ReconciliationSummary,
  SharedCost,
  SharedCostPreview,
  Token,
} from '../support/api';
import { defined, first } from '../support/assert';
import {
  type CoopFixture,
  type HolderFixture,
  contribute,
  createCoop,
  createHolder,
  createLocalAuthority,
  createPool,
  createToken,
  joinPool,
  receive,
} from '../support/fixtures';
import { type Response, createHarness } from '../support/harness';
import { Problem } from '../support/problems';

/**
 * One table-driven walk over every operation in the served OpenAPI document, with every role, tokens from another
 * tenant, and no valid token at all. The table below is the access contract (API.md); a route that the document has
 * and the table has not fails the first test, so a new route cannot ship without a decision on who may call it.
 */

// ---------------------------------------------------------------------------------------------------------------
// Callers

/** Valid tokens. Co-op A is the co-op every path names; co-op B is a foreign tenant. */
const WHO = [
  'admin',
  'treasurerA',
  'holderA1',
  'holderA2',
  'officerLA1',
  'officerLA2',
  'treasurerB',
  'holderB',
] as const;
type Who = (typeof WHO)[number];
/** Callers without a valid token: every non-public route answers them 401. */
const NOBODY = ['anonymous', 'revoked', 'malformed', 'unknown'] as const;
type Nobody = (typeof NOBODY)[number];
type Caller = Who | Nobody;

// ---------------------------------------------------------------------------------------------------------------
// The world every request runs against

interface World {
  coopA: CoopFixture; // with LA1 and its officer
  coopB: CoopFixture; // with LA2 and its officer
  a1: HolderFixture; // holder of co-op A (LA1), member of pool P
  a2: HolderFixture; // holder of co-op A (LA1), in no pool
  a3: HolderFixture; // holder of co-op A (LA1), member of pool P beside A1
  b1: HolderFixture; // holder of co-op B (LA2)
  poolId: string; // pool P of co-op A
  entryId: string; // a receipt of A1
  providerId: string; // a provider of co-op A with a rate card
  purchaseId: string; // a pool P purchase from that provider charging A1 and A3 (not A2)
  purchaseA2Id: string; // a purchase from A2's own funds, charging only A2
  authorization: Record<Caller, string | null>;
}

interface Req {
  /** Path parameters overriding the defaults (co-op A, member A1, pool P, receipt entry, LA1, provider, A1's purchase). */
  params?: Record<string, string>;
  body?: unknown;
  /** A non-JSON body (a bank export) and its content type. */
  file?: { text: string; contentType: string };
  query?: string;
  /** Runs after the response: what the caller saw, or that a denied request left its target alone. */
  verify?: (res: Response, allowed: boolean) => Promise<void> | void;
}

interface RouteRule {
  /** Callers that get past access control and the use case's own narrowing; `public`: everybody, no token needed. */
  allow: readonly Who[] | 'public';
  /** Valid tokens answered 404 (existence not revealed). Every other valid token is answered 403. */
  hidden?: readonly Who[];
  /** The status an allowed caller gets with the request below. */
  success: number;
  /** Builds the request. `allowed` requests that write use throwaway targets, so later cases see the same data. */
  request?: (w: World, allowed: boolean, caller: Caller) => Promise<Req> | Req;
  /** Extra checks on an allowed caller's answer (what the use case lets them see). */
  sees?: (res: Response, who: Who, w: World) => void;
}

// Shorthands for the recurring shapes of the table.
const treasurerOnly = { allow: ['treasurerA'], hidden: ['treasurerB'] } as const;
/** A holder's own member routes (path memberId = A1): treasurer, the holder, their LA's officer. */
const memberReaders = {
  allow: ['treasurerA', 'holderA1', 'officerLA1'],
  hidden: ['holderA2', 'officerLA2', 'treasurerB', 'holderB'],
} as const;

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString('hex')}`;
const idsOf = (page: { items: { id: string }[] }) => page.items.map((item) => item.id).sort();
const ids = (res: Response) => idsOf(res.json<Page<{ id: string }>>());
const today = () => new Date().toISOString().slice(0, 10);

const SERVICE = 'personal_assistance';
const rateCard = (individualRate = '17.50', tierRate = '16.20') => ({
  services: [
    {
      serviceType: SERVICE,
      unit: 'hour',
      individualRate,
      tierPeriod: 'week',
      tiers: [{ minUnits: '5', rate: tierRate }],
    },
  ],
});
const newProvider = () => ({
  name: `Cydweithfa ${unique()}`,
  kind: 'cooperative',
  welshLanguageService: true,
  locality: 'Wrecsam',
});
/** A shared cost of pool P charged wholly to A1's share (weights name only A1: other members of P may have no share). */
const sharedCost = (w: World) => ({
  category: 'admin',
  description: 'Bookkeeper',
  amount: '2.00',
  date: '2026-01-07',
  allocation: { method: 'weights', weights: { [w.a1.memberId]: '1', [w.a3.memberId]: '0' } },
});
/** A small invoice from A2's own funds, with a reference never used before. */
const smallPurchase = (providerId: string, a2: HolderFixture) => ({
  providerId,
  memberId: a2.memberId,
  invoiceReference: `AC-${unique()}`,
  invoiceDate: '2026-01-10',
  serviceFrom: '2026-01-08',
  serviceTo: '2026-01-09',
  lines: [{ serviceType: SERVICE, description: 'Cover', units: '1', unitRate: '2.00' }],
});
type Part = { memberId: string; amount: string };
const partMembers = (parts: Part[]) => parts.map((p) => p.memberId).sort();

/**
 * The access contract, keyed by `METHOD /path` in OpenAPI form. Derived from API.md and the rules in src/routes.
 */
const ACCESS: Record<string, RouteRule> = {
  // Service
  'GET /health': { allow: 'public', success: 200 },
  'GET /ready': { allow: 'public', success: 200 },

  // Identity and tenancy
  'POST /v1/local-authorities': {
    allow: ['admin'],
    success: 201,
    request: () => {
      const code = `AC${randomBytes(4).toString('hex').toUpperCase()}`;
      return { body: { name: `Council ${code}`, nameCy: `Cyngor ${code}`, code } };
    },
  },
  'GET /v1/local-authorities': {
    allow: ['admin', 'officerLA1', 'officerLA2'],
    success: 200,
    sees: (res, who, w) => {
      if (who === 'officerLA1') expect(ids(res)).toEqual([w.coopA.laId]);
      if (who === 'officerLA2') expect(ids(res)).toEqual([w.coopB.laId]);
      if (who === 'admin') expect(ids(res)).toEqual(expect.arrayContaining([w.coopA.laId, w.coopB.laId]));
    },
  },
  'GET /v1/local-authorities/{laId}': {
    allow: ['admin', 'officerLA1'],
    hidden: ['officerLA2'],
    success: 200,
    sees: (res, _who, w) => expect(res.json<LocalAuthority>().id).toBe(w.coopA.laId),
  },
  // How an officer finds the co-ops to ask statements of: those where LA1 has holders (co-op A, not co-op B).
  'GET /v1/local-authorities/{laId}/coops': {
    allow: ['officerLA1'],
    hidden: ['officerLA2'],
    success: 200,
    sees: (res, _who, w) => {
      expect(ids(res)).toEqual([w.coopA.coopId]);
      const coop = first(res.json<Page<CoopOfLocalAuthority>>().items, 'co-op');
      expect(coop.holderCount).toBeGreaterThanOrEqual(3);
      expect(coop).not.toHaveProperty('members');
    },
  },
  'POST /v1/coops': { allow: ['admin'], success: 201, request: () => ({ body: { name: `Cwmni ${unique()}` } }) },
  'GET /v1/coops/{coopId}': {
    allow: ['admin', 'treasurerA', 'holderA1', 'holderA2'],
    hidden: ['treasurerB', 'holderB'],
    success: 200,
    sees: (res, _who, w) => expect(res.json<Coop>().id).toBe(w.coopA.coopId),
  },
  // A treasurer of B naming co-op A in the body is refused before any lookup (403 whether or not A exists), so 403
  // reveals nothing; API.md: "treasurer (holder/treasurer tokens of own co-op)".
  'POST /v1/tokens': {
    allow: ['admin', 'treasurerA'],
    success: 201,
    request: (w) => ({
      body: { role: 'holder', label: 'access-control', coopId: w.coopA.coopId, memberId: w.a1.memberId },
    }),
  },
  // Who may list tokens: admins (all) and treasurers (their own co-op's holder tokens); never a secret or its hash.
  'GET /v1/tokens': {
    allow: ['admin', 'treasurerA', 'treasurerB'],
    success: 200,
    sees: (res, who, w) => {
      expect(res.text).not.toMatch(/cronfa_|tokenHash|token_hash/);
      const { items } = res.json<Page<Token>>();
      if (who === 'admin') expect(new Set(items.map((t) => t.role)).size).toBeGreaterThan(1);
      else {
        const own = who === 'treasurerA' ? w.coopA.coopId : w.coopB.coopId;
        expect(items.length).toBeGreaterThan(0);
        expect(items.every((t) => t.role === 'holder' && t.coopId === own)).toBe(true);
      }
    },
  },
  // People: admins invite treasurers and officers; a treasurer invites their own co-op's holders and supporters. A
  // treasurer of B naming A1 is told A1 does not exist; an admin inviting a holder is refused (a treasurer's job).
  'POST /v1/invitations': {
    allow: ['treasurerA'],
    hidden: ['treasurerB'],
    success: 201,
    request: (w) => ({ body: { role: 'holder', name: 'Invited', memberId: w.a1.memberId } }),
    sees: (res) => expect(res.json<{ url: string }>().url).toMatch(/\/invitations\/cronfa_/),
  },
  'GET /v1/invitations': { allow: ['admin', 'treasurerA', 'treasurerB'], success: 200 },
  'DELETE /v1/invitations/{invitationId}': {
    allow: ['admin', 'treasurerA'],
    hidden: ['treasurerB'],
    success: 204,
    request: async (w, allowed) => ({
      params: { invitationId: allowed ? await inviteHolder(w, w.a2.memberId) : spareInvitationId },
    }),
  },
  'GET /v1/people': {
    allow: ['admin', 'treasurerA', 'treasurerB'],
    success: 200,
    sees: (res, who, w) => {
      const { items } = res.json<Page<{ coopId: string | null; role: string }>>();
      const own = who === 'treasurerA' ? w.coopA.coopId : who === 'treasurerB' ? w.coopB.coopId : null;
      if (own) expect(items.every((p) => p.coopId === own || p.role === 'supporter')).toBe(true);
    },
  },
  // A1's person: suspending again answers the same.
  'DELETE /v1/people/{personId}': {
    allow: ['admin', 'treasurerA'],
    hidden: ['treasurerB'],
    success: 200,
    request: () => ({ params: { personId: a1PersonId } }),
  },
  'DELETE /v1/tokens/{tokenId}': {
    allow: ['admin', 'treasurerA'],
    // "Who could create it" (or its own bearer): anyone else is told it does not exist.
    hidden: ['holderA1', 'holderA2', 'officerLA1', 'officerLA2', 'treasurerB', 'holderB'],
    success: 204,
    request: async (w) => {
      const victim = await throwawayToken(w);
      return {
        params: { tokenId: victim.id },
        verify: async (_res, allowed) => {
          const probe = await h.call('GET', `/v1/coops/${w.coopA.coopId}`, { token: victim.token });
          expect(
            probe.status,
            allowed ? 'a revoked token stops working at once' : 'a refused revocation leaves the token working',
          ).toBe(allowed ? 401 : 200);
        },
      };
    },
  },

  // Members, awards, receipts
  'POST /v1/coops/{coopId}/members': {
    ...treasurerOnly,
    success: 201,
    request: () => ({ body: { name: `Siân ${unique()}`, stakeholderClass: 'supporter', preferredLanguage: 'cy' } }),
  },
  'GET /v1/coops/{coopId}/members': {
    allow: ['treasurerA', 'holderA1', 'holderA2', 'officerLA1', 'officerLA2'],
    hidden: ['treasurerB', 'holderB'],
    success: 200,
    sees: (res, who, w) => {
      if (who === 'holderA1') expect(ids(res)).toEqual([w.a1.memberId]);
      if (who === 'holderA2') expect(ids(res)).toEqual([w.a2.memberId]);
      if (who === 'officerLA2') expect(ids(res)).toEqual([]);
      if (who === 'officerLA1') {
        expect(ids(res)).toEqual(expect.arrayContaining([w.a1.memberId, w.a2.memberId]));
        for (const m of res.json<Page<Member>>().items) expect(m.localAuthorityId).toBe(w.coopA.laId);
      }
      if (who === 'treasurerA') expect(ids(res)).toEqual(expect.arrayContaining([w.a1.memberId, w.a2.memberId]));
    },
  },
  'GET /v1/coops/{coopId}/members/{memberId}': {
    ...memberReaders,
    success: 200,
    sees: (res, _who, w) => expect(res.json<Member>().id).toBe(w.a1.memberId),
  },
  'PUT /v1/coops/{coopId}/members/{memberId}/award': {
    ...treasurerOnly,
    success: 200,
    request: () => ({ body: { amount: '123.45', frequency: 'weekly', startsOn: '2026-01-01' } }),
  },
  'POST /v1/coops/{coopId}/receipts': {
    ...treasurerOnly,
    success: 201,
    request: (w) => ({
      body: { memberId: w.a1.memberId, amount: '10.00', receivedOn: '2026-01-05', reference: `AC-${unique()}` },
    }),
  },
  'GET /v1/coops/{coopId}/members/{memberId}/balance': {
    ...memberReaders,
    success: 200,
    sees: (res, _who, w) => {
      const balance = res.json<MemberBalance>();
      expect(balance.memberId).toBe(w.a1.memberId);
      expect(balance.pools.map((p) => p.poolId)).toContain(w.poolId);
    },
  },

  // Pools
  'POST /v1/coops/{coopId}/pools': {
    ...treasurerOnly,
    success: 201,
    request: () => ({ body: { name: `Pool ${unique()}`, purpose: 'Shared personal assistants' } }),
  },
  'GET /v1/coops/{coopId}/pools': {
    allow: ['treasurerA', 'holderA1', 'holderA2'],
    hidden: ['treasurerB', 'holderB'],
    success: 200,
    sees: (res, who, w) => {
      if (who === 'holderA1') expect(ids(res)).toEqual([w.poolId]);
      if (who === 'holderA2') expect(ids(res)).toEqual([]);
      if (who === 'treasurerA') expect(ids(res)).toContain(w.poolId);
    },
  },
  'GET /v1/coops/{coopId}/pools/{poolId}': {
    allow: ['treasurerA', 'holderA1'],
    hidden: ['holderA2', 'treasurerB', 'holderB'], // A2 is not in pool P
    success: 200,
    sees: (res, who, w) => {
      const pool = res.json<Pool>();
      expect(pool.id).toBe(w.poolId);
      if (who === 'holderA1') expect(pool).not.toHaveProperty('members'); // without other members' details
    },
  },
  'POST /v1/coops/{coopId}/pools/{poolId}/members': {
    ...treasurerOnly,
    success: 201,
    // Denied callers try to put A2 into pool P (the snapshot would show it); the allowed one joins a fresh holder.
    request: async (w, allowed) => ({
      body: { memberId: allowed ? (await createHolder(h, w.coopA)).memberId : w.a2.memberId },
    }),
  },
  'DELETE /v1/coops/{coopId}/pools/{poolId}/members/{memberId}': {
    ...treasurerOnly,
    success: 200,
    // Denied callers try to take A1 out of pool P; the allowed one removes a fresh holder who joined for this.
    request: async (w, allowed) => {
      if (!allowed) return {};
      const fresh = await createHolder(h, w.coopA);
      await joinPool(h, w.coopA, w.poolId, fresh.memberId);
      return { params: { memberId: fresh.memberId } };
    },
  },
  'POST /v1/coops/{coopId}/pools/{poolId}/contributions': {
    ...treasurerOnly,
    success: 201,
    request: (w) => ({ body: { memberId: w.a1.memberId, amount: '1.00', date: '2026-01-06' } }),
  },
  'GET /v1/coops/{coopId}/pools/{poolId}/balance': {
    allow: ['treasurerA', 'holderA1'],
    hidden: ['holderA2', 'treasurerB', 'holderB'],
    success: 200,
    sees: (res, who, w) => {
      const balance = res.json<PoolBalance>();
      expect(balance.poolId).toBe(w.poolId);
      if (who === 'holderA1') expect(balance.shares.map((s) => s.memberId)).toEqual([w.a1.memberId]);
    },
  },

  // Ledger (treasurer)
  'GET /v1/coops/{coopId}/accounts': { ...treasurerOnly, success: 200 },
  'GET /v1/coops/{coopId}/entries': { ...treasurerOnly, success: 200 },
  'GET /v1/coops/{coopId}/entries/{entryId}': {
    ...treasurerOnly,
    success: 200,
    sees: (res, _who, w) => expect(res.json<Entry>().id).toBe(w.entryId),
  },
  'POST /v1/coops/{coopId}/entries/{entryId}/reversal': {
    ...treasurerOnly,
    success: 201,
    // Denied callers try to reverse the real receipt; the allowed one reverses a receipt made for it.
    request: async (w, allowed): Promise<Req> => {
      const body = { reason: 'Keyed twice', valueDate: today() };
      if (!allowed) return { body };
      return { params: { entryId: (await receive(h, w.coopA, w.a1.memberId, '5.00')).entryId }, body };
    },
  },
  'GET /v1/coops/{coopId}/export/journal': { ...treasurerOnly, success: 200 },
  // Shared costs, providers, purchases
  'POST /v1/coops/{coopId}/pools/{poolId}/costs/preview': {
    ...treasurerOnly,
    success: 200,
    request: (w) => ({ body: sharedCost(w) }),
    sees: (res, _who, w) =>
      expect(res.json<SharedCostPreview>().allocations).toEqual(
        expect.arrayContaining([
          { memberId: w.a1.memberId, amount: '2.00' },
          { memberId: w.a3.memberId, amount: '0.00' },
        ]),
      ),
  },
  'POST /v1/coops/{coopId}/pools/{poolId}/costs': {
    ...treasurerOnly,
    success: 201,
    // Denied callers try to charge A1's share of pool P (the snapshot would show it); the allowed one charges 2.00.
    request: (w) => ({ body: sharedCost(w) }),
    sees: (res, _who, w) =>
      expect(res.json<SharedCost>().allocations).toEqual(
        expect.arrayContaining([
          { memberId: w.a1.memberId, amount: '2.00' },
          { memberId: w.a3.memberId, amount: '0.00' },
        ]),
      ),
  },
  'POST /v1/coops/{coopId}/providers': {
    ...treasurerOnly,
    success: 201,
    request: () => ({ body: newProvider() }),
    sees: (res, _who, w) => expect(res.json<Provider>().coopId).toBe(w.coopA.coopId),
  },
  'GET /v1/coops/{coopId}/providers': {
    allow: ['treasurerA', 'holderA1', 'holderA2'],
    hidden: ['treasurerB', 'holderB'],
    success: 200,
    sees: (res, _who, w) => {
      expect(ids(res)).toContain(w.providerId);
      for (const p of res.json<Page<Provider>>().items) expect(p.coopId).toBe(w.coopA.coopId);
    },
  },
  'GET /v1/coops/{coopId}/providers/{providerId}': {
    allow: ['treasurerA', 'holderA1', 'holderA2'],
    hidden: ['treasurerB', 'holderB'],
    success: 200,
    sees: (res, _who, w) => {
      const provider = res.json<Provider>();
      expect(provider.id).toBe(w.providerId);
      expect(provider.rates?.services.map((s) => s.serviceType)).toEqual([SERVICE]);
    },
  },
  'PUT /v1/coops/{coopId}/providers/{providerId}/rates': {
    ...treasurerOnly,
    success: 200,
    // Denied callers try to reprice the real provider; the allowed one prices a provider made for it.
    request: async (w, allowed): Promise<Req> => {
      const body = rateCard('99.00', '98.00');
      if (!allowed) return { body };
      const fresh = await h.call<Provider>('POST', `/v1/coops/${w.coopA.coopId}/providers`, {
        token: w.coopA.treasurerToken,
        body: newProvider(),
      });
      expect(fresh.status, fresh.text).toBe(201);
      return { params: { providerId: fresh.body.id }, body };
    },
    sees: (res) =>
      expect(res.json<Provider>().rates?.services).toEqual([
        expect.objectContaining({ serviceType: SERVICE, individualRate: '99.00' }),
      ]),
  },
  'POST /v1/coops/{coopId}/purchases': {
    ...treasurerOnly,
    success: 201,
    request: (w) => ({ body: smallPurchase(w.providerId, w.a2) }),
    sees: (res, _who, w) => expect(partMembers(res.json<PurchaseCreated>().allocations)).toEqual([w.a2.memberId]),
  },
  // Holders and officers reach the list; the use case narrows it to the purchases (and parts) that are theirs.
  'GET /v1/coops/{coopId}/purchases': {
    allow: ['treasurerA', 'holderA1', 'holderA2', 'officerLA1', 'officerLA2'],
    hidden: ['treasurerB', 'holderB'],
    success: 200,
    sees: (res, who, w) => {
      const { items } = res.json<Page<Purchase>>();
      const listed = items.map((p) => p.id);
      if (who === 'treasurerA') {
        expect(listed).toEqual(expect.arrayContaining([w.purchaseId, w.purchaseA2Id]));
        for (const p of items) expect(p.total).not.toBeNull();
      }
      if (who === 'officerLA2') expect(listed).toEqual([]);
      const own: Partial<Record<Who, { sees: string[]; notSees: string[]; members: string[] }>> = {
        holderA1: { sees: [w.purchaseId], notSees: [w.purchaseA2Id], members: [w.a1.memberId] },
        holderA2: { sees: [w.purchaseA2Id], notSees: [w.purchaseId], members: [w.a2.memberId] },
        officerLA1: {
          sees: [w.purchaseId, w.purchaseA2Id],
          notSees: [],
          members: [w.a1.memberId, w.a2.memberId, w.a3.memberId],
        },
      };
      const expected = own[who];
      if (!expected) return;
      expect(listed).toEqual(expect.arrayContaining(expected.sees));
      for (const id of expected.notSees) expect(listed).not.toContain(id);
      for (const p of items) {
        expect(p.total).toBeNull();
        for (const part of p.allocations) expect(expected.members).toContain(part.memberId);
      }
    },
  },
  // A1's pool purchase: A2 (not charged by it) and LA2's officer (none of theirs in it) are told it does not exist.
  'GET /v1/coops/{coopId}/purchases/{purchaseId}': {
    allow: ['treasurerA', 'holderA1', 'officerLA1'],
    hidden: ['holderA2', 'officerLA2', 'treasurerB', 'holderB'],
    success: 200,
    sees: (res, who, w) => {
      const purchase = res.json<Purchase>();
      expect(purchase.id).toBe(w.purchaseId);
      const parts = partMembers(purchase.allocations);
      if (who === 'treasurerA') {
        expect(parts).toEqual([w.a1.memberId, w.a3.memberId].sort());
        expect(purchase.total).not.toBeNull();
      }
      if (who === 'officerLA1') {
        expect(parts).toEqual([w.a1.memberId, w.a3.memberId].sort()); // both holders are LA1's
        expect(purchase.total).toBeNull();
      }
      if (who === 'holderA1') {
        expect(parts).toEqual([w.a1.memberId]); // only their part, never A3's
        expect(purchase.total).toBeNull();
        for (const line of purchase.lines) expect(line.memberId).toBe(w.a1.memberId);
        expect(res.text).not.toContain(w.a3.memberId);
      }
    },
  },
  'POST /v1/coops/{coopId}/purchases/{purchaseId}/payments': {
    ...treasurerOnly,
    success: 201,
    request: () => ({ body: { amount: '0.01', paidOn: '2026-01-12', reference: `BACS ${unique()}` } }),
    sees: (res, _who, w) => expect(res.json<Payment>().purchaseId).toBe(w.purchaseId),
  },
  'POST /v1/coops/{coopId}/pools/{poolId}/quotes': {
    ...treasurerOnly,
    success: 200,
    request: (w) => ({ body: { serviceType: SERVICE, period: 'week', units: { [w.a1.memberId]: '10' } } }),
    sees: (res, _who, w) => expect(res.json<Quote>().providers.map((p) => p.providerId)).toContain(w.providerId),
  },
  'GET /v1/coops/{coopId}/reports/purchasing-power': {
    ...treasurerOnly,
    success: 200,
    request: () => ({ query: `from=2026-01-01&to=${today()}` }),
    sees: (res) => expect(res.json<PurchasingReport>().purchaseCount).toBeGreaterThanOrEqual(2),
  },

  'GET /v1/coops/{coopId}/audit': { ...treasurerOnly, success: 200 },

  // Bank reconciliation and periods: the treasurer's alone (bank lines name every holder's payments).
  'POST /v1/coops/{coopId}/bank-statements': {
    ...treasurerOnly,
    success: 201,
    request: () => bankFile([['2026-01-20', `ACCESS ${unique()}`, '0.37']]),
    sees: (res) =>
      expect(res.json<BankStatement>()).toMatchObject({ lineCount: 1, importedCount: 1, duplicatesSkipped: 0 }),
  },
  'GET /v1/coops/{coopId}/bank-statements': {
    ...treasurerOnly,
    success: 200,
    sees: (res) => expect(res.json<Page<unknown>>().items.length).toBeGreaterThan(0),
  },
  'GET /v1/coops/{coopId}/bank-lines': {
    ...treasurerOnly,
    success: 200,
    sees: (res) => expect(res.json<Page<unknown>>().items.length).toBeGreaterThan(0),
  },
  'POST /v1/coops/{coopId}/bank-statements/preview': {
    ...treasurerOnly,
    success: 200,
    request: () => bankFile([['2026-01-20', `PREVIEW ${unique()}`, '0.38']]),
    sees: (res) => expect(res.json()).toMatchObject({ lineCount: 1, problem: null }),
  },
  'POST /v1/coops/{coopId}/reconciliation/auto': { ...treasurerOnly, success: 200 },
  'POST /v1/coops/{coopId}/reconciliation/matches': {
    ...treasurerOnly,
    success: 201,
    // Two bank lines that cancel out match each other without touching the ledger.
    request: async (_w, allowed) => {
      if (!allowed) return { body: { bankLineIds: [randomUUID(), randomUUID()] } };
      const lines = await cancellingLines();
      return { body: { bankLineIds: [lines.in, lines.out] } };
    },
    sees: (res) => expect(res.json<Match>()).toMatchObject({ method: 'manual', amount: '0.00' }),
  },
  'DELETE /v1/coops/{coopId}/reconciliation/matches/{matchId}': {
    ...treasurerOnly,
    success: 204,
    request: async (_w, allowed) => ({ params: { matchId: allowed ? await cancellingMatch() : randomUUID() } }),
  },
  'POST /v1/coops/{coopId}/bank-lines/{lineId}/entry': {
    ...treasurerOnly,
    success: 201,
    request: async (_w, allowed) => ({
      params: { lineId: allowed ? (await cancellingLines()).out : randomUUID() },
      body: { kind: 'bank_charge' },
    }),
    sees: (res) => expect(res.json<Booking>()).toMatchObject({ kind: 'bank_charge', amount: '-0.41' }),
  },
  'GET /v1/coops/{coopId}/reconciliation': {
    ...treasurerOnly,
    success: 200,
    sees: (res) => expect(res.json<ReconciliationSummary>().unmatchedBankLineCount).toBeGreaterThanOrEqual(0),
  },
  // A forced close long before the world's entries, each one a day later than the last.
  'POST /v1/coops/{coopId}/periods/close': {
    ...treasurerOnly,
    success: 201,
    request: () => ({
      body: { through: `2020-01-${String(++closes).padStart(2, '0')}`, force: true, reason: 'Access test' },
    }),
    sees: (res) => expect(res.json<Period>().forced).toBe(true),
  },
  'GET /v1/coops/{coopId}/periods': { ...treasurerOnly, success: 200 },

  // Statements
  'GET /v1/coops/{coopId}/statements/holders/{memberId}': {
    ...memberReaders,
    success: 200,
    request: () => ({ query: 'from=2026-01-01&to=2026-12-31' }),
    sees: (res, _who, w) => {
      expect(res.json<HolderStatement>().member.id).toBe(w.a1.memberId);
      expect(res.headers['x-statement-sha256']).toMatch(/^[0-9a-f]{64}$/);
    },
  },
  'GET /v1/coops/{coopId}/statements/issued': { ...treasurerOnly, success: 200 },
  'GET /v1/coops/{coopId}/statements/pools/{poolId}': {
    ...treasurerOnly,
    success: 200,
    request: () => ({ query: 'from=2026-01-01&to=2026-12-31' }),
    sees: (res, _who, w) => {
      const statement = res.json<PoolStatement>();
      expect(statement.pool.id).toBe(w.poolId);
      expect(statement.shares.map((s) => s.memberId)).toContain(w.a1.memberId);
    },
  },
  'GET /v1/local-authorities/{laId}/statements': {
    // The LA's officer, and a treasurer for their own co-op's holders; another co-op's treasurer is refused (403) and
    // another LA's officer told LA1 does not exist. An admin reads no member's money (403).
    allow: ['officerLA1', 'treasurerA'],
    hidden: ['officerLA2'],
    success: 200,
    request: (w) => ({ query: `coopId=${w.coopA.coopId}&from=2026-01-01&to=2026-12-31` }),
    sees: (res, _who, w) => {
      const statement = res.json<LaStatement>();
      expect(statement.localAuthority.id).toBe(w.coopA.laId);
      expect(statement.holders.map((row) => row.memberId)).toContain(w.a1.memberId);
      expect(statement.bankReconciled).toBe(false);
    },
  },
};

let closes = 0;

/** A generic CSV upload of dated lines. */
function bankFile(lines: [string, string, string][]): Req {
  const text = ['Date,Details,Amount', ...lines.map((l) => l.join(','))].join('\n');
  return {
    query: 'format=csv&dateColumn=Date&dateFormat=YYYY-MM-DD&descriptionColumn=Details&amountColumn=Amount',
    file: { text, contentType: 'text/csv' },
  };
}

/** Imports a fresh pair of bank lines that cancel out (+0.41 paid in, -0.41 paid out) and returns their ids. */
async function cancellingLines(): Promise<{ in: string; out: string }> {
  const tag = unique();
  const upload = bankFile([
    ['2026-01-21', `IN ${tag}`, '0.41'],
    ['2026-01-21', `OUT ${tag}`, '-0.41'],
  ]);
  const base = `/v1/coops/${w.coopA.coopId}`;
  const res = await h.call('POST', `${base}/bank-statements?${upload.query}`, {
    token: w.coopA.treasurerToken,
    rawBody: defined(upload.file, 'the bank file').text,
    headers: { 'content-type': 'text/csv' },
  });
  expect(res.status, res.text).toBe(201);
  const summary = await h.call<ReconciliationSummary>('GET', `${base}/reconciliation?asOf=2026-01-21`, {
    token: w.coopA.treasurerToken,
  });
  const idOf = (description: string) =>
    defined(
      summary.body.unmatchedBankLines.find((l) => l.description === description),
      `the unmatched line "${description}"`,
    ).id;
  return { in: idOf(`IN ${tag}`), out: idOf(`OUT ${tag}`) };
}

async function cancellingMatch(): Promise<string> {
  const lines = await cancellingLines();
  const res = await h.call<Match>('POST', `/v1/coops/${w.coopA.coopId}/reconciliation/matches`, {
    token: w.coopA.treasurerToken,
    body: { bankLineIds: [lines.in, lines.out] },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

/** What a caller should get from a route: the success status, 401, 403 or 404. */
function expectedStatus(rule: RouteRule, caller: Caller): number {
  if (rule.allow === 'public') return rule.success;
  if ((NOBODY as readonly string[]).includes(caller)) return 401;
  if (rule.allow.includes(caller as Who)) return rule.success;
  if (rule.hidden?.includes(caller as Who)) return 404;
  return 403;
}

// ---------------------------------------------------------------------------------------------------------------
// The document: read from the app itself, so every served route is walked.

const h = await createHarness();
afterAll(async () => h.close());

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const openapi = (
  await h.call<{ paths: Record<string, Record<string, { security?: unknown[] }>> }>('GET', '/openapi.json')
).body;
const documented: { route: string; security: unknown[] | undefined }[] = Object.entries(openapi.paths)
  .filter(([path]) => !path.startsWith('/docs') && path !== '/openapi.json')
  .flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, security: operation.security })),
  );
const walked = documented.map((d) => d.route).filter((route) => route in ACCESS);

interface Case {
  name: string;
  route: string;
  caller: Caller;
  expected: number;
}
const cases = (callers: readonly Caller[], keep: (expected: number, rule: RouteRule) => boolean): Case[] =>
  walked.flatMap((route) => {
    const rule = ACCESS[route]!;
    return callers
      .map((caller) => ({ route, caller, expected: expectedStatus(rule, caller) }))
      .filter((c) => keep(c.expected, rule))
      .map((c) => ({ ...c, name: `${c.route} as ${c.caller} → ${c.expected}` }));
  });

const isDenial = (status: number) => status === 401 || status === 403 || status === 404;
const withoutToken = cases(NOBODY, () => true);
const deniedWithToken = cases(WHO, (expected) => isDenial(expected));
const allowedWithToken = cases(WHO, (expected) => !isDenial(expected));

// ---------------------------------------------------------------------------------------------------------------
// Fixtures

let w: World;
const spareTokens: { id: string; token: string }[] = [];
/** Made before the denials' snapshot: an invitation to withdraw, and A1's person (inviting again is audited). */
let spareInvitationId = '';
let a1PersonId = '';

async function inviteHolder(world: World, memberId: string): Promise<string> {
  const res = await h.call<{ id: string }>('POST', '/v1/invitations', {
    token: world.coopA.treasurerToken,
    body: { role: 'holder', name: 'Invited', memberId },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function personOf(world: World, memberId: string): Promise<string> {
  await inviteHolder(world, memberId);
  const people = await h.call<Page<{ id: string; memberId: string | null }>>('GET', '/v1/people?limit=500', {
    token: world.coopA.treasurerToken,
  });
  return defined(
    people.body.items.find((p) => p.memberId === memberId),
    'the person',
  ).id;
}

/** A holder token of co-op A to revoke; denial cases take one made before the snapshot (making one is audited). */
async function throwawayToken(world: World): Promise<{ id: string; token: string }> {
  return (
    spareTokens.pop() ??
    createToken(h, world.coopA.treasurerToken, {
      role: 'holder',
      coopId: world.coopA.coopId,
      memberId: world.a2.memberId,
    })
  );
}

beforeAll(async () => {
  const coopA = await createCoop(h);
  const la2 = await createLocalAuthority(h);
  const coopB = await createCoop(h, la2);
  const a1 = await createHolder(h, coopA);
  const a2 = await createHolder(h, coopA);
  const a3 = await createHolder(h, coopA);
  const b1 = await createHolder(h, coopB);
  const receipt = await receive(h, coopA, a1.memberId, '100.00');
  await receive(h, coopA, a2.memberId, '100.00');
  await receive(h, coopA, a3.memberId, '100.00');
  const pool = await createPool(h, coopA);
  await joinPool(h, coopA, pool.id, a1.memberId);
  await joinPool(h, coopA, pool.id, a3.memberId);
  expect((await contribute(h, coopA, pool.id, a1.memberId, '40.00')).status).toBe(201);
  expect((await contribute(h, coopA, pool.id, a3.memberId, '40.00')).status).toBe(201);
  await receive(h, coopB, b1.memberId, '70.00');

  // A provider with a rate card, a pool purchase charging A1 and A3, and one from A2's own funds.
  const asTreasurerA = async <T>(method: string, path: string, body: unknown, status: number) => {
    const res = await h.call<T>(method, `/v1/coops/${coopA.coopId}${path}`, { token: coopA.treasurerToken, body });
    expect(res.status, res.text).toBe(status);
    return res.body;
  };
  const provider = await asTreasurerA<Provider>('POST', '/providers', newProvider(), 201);
  await asTreasurerA('PUT', `/providers/${provider.id}/rates`, rateCard(), 200);
  const purchase = await asTreasurerA<PurchaseCreated>(
    'POST',
    '/purchases',
    {
      providerId: provider.id,
      poolId: pool.id,
      invoiceReference: `AC-${unique()}`,
      invoiceDate: '2026-01-08',
      serviceFrom: '2026-01-06',
      serviceTo: '2026-01-07',
      lines: [
        { serviceType: SERVICE, description: 'Day support', units: '1', unitRate: '16.20', memberId: a1.memberId },
        { serviceType: SERVICE, description: 'Day support', units: '1', unitRate: '16.20', memberId: a3.memberId },
        { serviceType: SERVICE, description: 'Shared outing', units: '1', unitRate: '16.20' },
      ],
      allocation: { method: 'weights', weights: { [a1.memberId]: '1', [a3.memberId]: '1' } },
    },
    201,
  );
  const purchaseA2 = await asTreasurerA<PurchaseCreated>('POST', '/purchases', smallPurchase(provider.id, a2), 201);

  // The revoked token would otherwise be the most powerful one on co-op A: its treasurer.
  const revoked = await createToken(h, h.adminToken, { role: 'treasurer', coopId: coopA.coopId });
  expect((await h.call('DELETE', `/v1/tokens/${revoked.id}`, { token: h.adminToken })).status).toBe(204);

  const bearer = (token: string) => `Bearer ${token}`;
  w = {
    coopA,
    coopB,
    a1,
    a2,
    a3,
    b1,
    poolId: pool.id,
    entryId: receipt.entryId,
    providerId: provider.id,
    purchaseId: purchase.id,
    purchaseA2Id: purchaseA2.id,
    authorization: {
      admin: bearer(h.adminToken),
      treasurerA: bearer(coopA.treasurerToken),
      holderA1: bearer(a1.token),
      holderA2: bearer(a2.token),
      officerLA1: bearer(coopA.laOfficerToken),
      officerLA2: bearer(coopB.laOfficerToken),
      treasurerB: bearer(coopB.treasurerToken),
      holderB: bearer(b1.token),
      anonymous: null,
      revoked: bearer(revoked.token),
      malformed: 'Bearer not-a-cronfa-token',
      unknown: bearer(`cronfa_${randomBytes(32).toString('base64url')}`), // well-formed, never issued
    },
  };
});

async function send(c: Case, allowed: boolean): Promise<{ res: Response; req: Req }> {
  const rule = ACCESS[c.route]!;
  const req = (await rule.request?.(w, allowed, c.caller)) ?? {};
  const params: Record<string, string> = {
    coopId: w.coopA.coopId,
    memberId: w.a1.memberId,
    poolId: w.poolId,
    entryId: w.entryId,
    laId: w.coopA.laId,
    providerId: w.providerId,
    purchaseId: w.purchaseId,
    ...req.params,
  };
  const [method, path] = c.route.split(' ') as [string, string];
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (!value)
      throw new Error(`${c.route}: no value for path parameter {${name}}; give it one in the table's request()`);
    return value;
  });
  const authorization = w.authorization[c.caller];
  const res = await h.call(method, req.query ? `${url}?${req.query}` : url, {
    ...(req.body !== undefined ? { body: req.body } : {}),
    ...(req.file ? { rawBody: req.file.text } : {}),
    headers: {
      ...(authorization ? { authorization } : {}),
      ...(req.file ? { 'content-type': req.file.contentType } : {}),
    },
  });
  return { res, req };
}

/** What denied requests must not change: co-op A's ledger, audit trail, members, pools, providers (with their rate
 * cards), purchases (with what is paid), and the LAs. */
async function snapshot() {
  const get = async <T>(url: string, token: string) => {
    const res = await h.call<T>('GET', url, { token });
    expect(res.status, url).toBe(200);
    return res.body;
  };
  const list = async <T>(url: string, token = w.coopA.treasurerToken) => (await get<Page<T>>(url, token)).items;
  const base = `/v1/coops/${w.coopA.coopId}`;
  return {
    accounts: (await list<Account>(`${base}/accounts?limit=500`)).map((a) => `${a.code} ${a.balance}`),
    entries: (await list<Entry>(`${base}/entries?limit=500`)).map((e) => `${e.id} ${e.reversedBy}`),
    audit: (await list<AuditEvent>(`${base}/audit?limit=500`)).map((e) => `${e.id} ${e.action}`),
    members: (await list<Member>(`${base}/members?limit=500`)).map((m) => `${m.id} ${JSON.stringify(m.award)}`),
    pools: idsOf(await get<Page<Pool>>(`${base}/pools?limit=500`, w.coopA.treasurerToken)),
    poolMembers: defined(
      (await get<Pool>(`${base}/pools/${w.poolId}`, w.coopA.treasurerToken)).members,
      "pool P's members",
    ).map((m) => m.memberId),
    providers: (await list<Provider>(`${base}/providers?limit=500`)).map((p) => `${p.id} ${JSON.stringify(p.rates)}`),
    purchases: (await list<Purchase>(`${base}/purchases?limit=500`)).map((p) => `${p.id} ${p.paid}`),
    localAuthorities: idsOf(await get<Page<LocalAuthority>>('/v1/local-authorities', h.adminToken)),
    coopBAccounts: (await list<Account>(`/v1/coops/${w.coopB.coopId}/accounts?limit=500`, w.coopB.treasurerToken)).map(
      (a) => `${a.code} ${a.balance}`,
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Tests

describe('access control: the table covers the OpenAPI document', () => {
  it('has an access expectation for every documented route', () => {
    const missing = documented.map((d) => d.route).filter((route) => !(route in ACCESS));
    expect(
      missing,
      `routes in /openapi.json without an entry in ACCESS (decide who may call them): ${missing.join(', ')}`,
    ).toEqual([]);
  });

  it('lists no route the document lacks', () => {
    const served = new Set(documented.map((d) => d.route));
    const stale = Object.keys(ACCESS).filter((route) => !served.has(route));
    expect(stale, `routes in ACCESS that /openapi.json does not document: ${stale.join(', ')}`).toEqual([]);
  });

  it('documents exactly the public routes as needing no token', () => {
    const publicInDocument = documented
      .filter((d) => Array.isArray(d.security) && d.security.length === 0)
      .map((d) => d.route);
    const publicInTable = Object.entries(ACCESS)
      .filter(([, rule]) => rule.allow === 'public')
      .map(([route]) => route);
    expect(publicInDocument.sort()).toEqual(publicInTable.sort());
  });

  it('keeps each route’s allowed and hidden callers apart', () => {
    for (const [route, rule] of Object.entries(ACCESS)) {
      if (rule.allow === 'public') continue;
      const allow = rule.allow;
      expect(rule.hidden?.filter((who) => allow.includes(who)) ?? [], route).toEqual([]);
    }
  });
});

describe('access control: denied requests', () => {
  let before: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    const revocations = [...withoutToken, ...deniedWithToken].filter((c) => c.route.includes('{tokenId}')).length;
    for (let i = 0; i < revocations; i++) {
      spareTokens.push(
        await createToken(h, w.coopA.treasurerToken, {
          role: 'holder',
          coopId: w.coopA.coopId,
          memberId: w.a2.memberId,
        }),
      );
    }
    spareInvitationId = await inviteHolder(w, w.a2.memberId);
    a1PersonId = await personOf(w, w.a1.memberId);
    before = await snapshot();
  });

  describe('without a valid token', () => {
    for (const c of withoutToken)
      it(c.name, async () => {
        const { res, req } = await send(c, false);
        expect(res.status, res.text).toBe(c.expected);
        if (c.expected === 401) {
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(res.headers['www-authenticate']).toContain('Bearer');
          expect(res.json(Problem).status).toBe(401);
        }
        await req.verify?.(res, !isDenial(c.expected));
      });
  });

  describe('with a valid token that does not reach the resource', () => {
    for (const c of deniedWithToken)
      it(c.name, async () => {
        const { res, req } = await send(c, false);
        expect(res.status, res.text).toBe(c.expected);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json(Problem).status).toBe(c.expected);
        await req.verify?.(res, false);
      });
  });

  it('changed nothing: balances, entries, audit trail, members, pools, providers, purchases and LAs are as before', async () => {
    expect(spareTokens).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});

describe('access control: allowed requests', () => {
  for (const c of allowedWithToken)
    it(c.name, async () => {
      const { res, req } = await send(c, true);
      expect(isDenial(res.status), `${c.route} refused ${c.caller}: ${res.status} ${res.text}`).toBe(false);
      expect(res.status, res.text).toBe(c.expected);
      ACCESS[c.route]!.sees?.(res, c.caller as Who, w);
      await req.verify?.(res, true);
    });
});
