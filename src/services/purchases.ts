import { reversedEntryIds } from './ledger/queries';
import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import {
  accounts,
  journalEntries,
  providerPayments,
  purchaseLines,
  purchaseShares,
  purchases,
} from '../../db/schema/index';
import type { Principal } from '../auth/principal';
import type { Queryable, Tx } from '../db/database';
import { newId } from '../db/ids';
import { DomainError, notFound, invalidInput, invalidField } from '../domain/errors';
import type { PostingDraft } from '../domain/ledger';
import { type Money, ZERO, formatMoney, moneyFromDb } from '../domain/money';
import { type InvoiceLine, planPurchase } from '../domain/purchase-pricing';
import type { Weighted } from '../domain/allocation';
import { type AllocationRequest, recordAllocation, resolvePoolWeights } from './allocations';
import type { UseCaseContext } from './context';
import { postEntry } from './ledger/post-entry';
import { requireBankAccountId, requireHolderFundsAccountId, requireMember, requirePool } from './lookups';
import { type MoneyWrite, assertNotFuture, postingContextOf, runMoneyWrite } from './money-writes';
import { type PageRequest, keyset } from './pagination';
import { currentRates, requireProvider } from './providers';
import { shareAccountsOf } from './shared-costs';

export interface PurchaseInput {
  providerId: string;
  poolId?: string | undefined;
  memberId?: string | undefined;
  invoiceReference: string;
  invoiceDate: string;
  serviceFrom: string;
  serviceTo: string;
  lines: InvoiceLine[];
  allocation?: AllocationRequest | undefined;
}

function checkShape(input: PurchaseInput): void {
  if (Boolean(input.poolId) === Boolean(input.memberId))
    throw invalidField('poolId', 'give exactly one of poolId and memberId');
  if (input.serviceTo < input.serviceFrom) throw invalidField('serviceTo', 'must not be before serviceFrom');
  if (input.memberId && input.lines.some((l) => l.memberId && l.memberId !== input.memberId)) {
    throw invalidField('lines', "a purchase from one holder's funds charges only that holder");
  }
  if (input.poolId && input.lines.some((l) => !l.memberId) && !input.allocation) {
    throw invalidField('allocation', 'lines without a memberId need an allocation');
  }
}

/**
 * Who an invoice is charged to: the pool shares of the members its lines name and of those its allocation splits the
 * rest between, or one holder's own funds. Raises `unprocessable` for a named member with no share in the pool, or a
 * purchase from the funds of someone who is not a holder.
 */
async function chargeTargetsOf(
  tx: Tx,
  coopId: string,
  input: PurchaseInput,
): Promise<{ chargeAccounts: Map<string, string>; weighted: Weighted[] | null }> {
  if (!input.poolId) {
    const member = await requireMember(tx, coopId, input.memberId ?? '');
    if (member.stakeholderClass !== 'holder') throw invalidField('memberId', 'not a holder');
    return { chargeAccounts: new Map([[member.id, await requireHolderFundsAccountId(tx, member.id)]]), weighted: null };
  }
  await requirePool(tx, coopId, input.poolId);
  const weighted =
    input.allocation && input.lines.some((l) => !l.memberId)
      ? await resolvePoolWeights(tx, input.poolId, input.invoiceDate, input.allocation, 'allocation')
      : null;
  const named = [...new Set(input.lines.flatMap((l) => (l.memberId ? [l.memberId] : [])))];
  const chargeAccounts = await shareAccountsOf(tx, input.poolId, [
    ...named,
    ...(weighted?.map((w) => w.memberId) ?? []),
  ]);
  const outsider = named.find((id) => !chargeAccounts.has(id));
  if (outsider) throw invalidField('lines', `member ${outsider} has no share in this pool`);
  return { chargeAccounts, weighted };
}

/**
 * Records a provider's invoice: priced line by line, charged to pool shares (or one holder's own funds), owed to
 * the provider until paid. Records what the same units would have cost each member alone, and the saving.
 * Raises: `duplicate` (409) for an invoice reference already recorded for the provider; `insufficient-funds` (422)
 * naming every member short; `unprocessable` (422) for a shape that does not fit.
 */
export function recordPurchase(write: MoneyWrite, input: PurchaseInput) {
  checkShape(input);
  assertNotFuture(input.invoiceDate, write.today, 'invoiceDate');
  return runMoneyWrite(write, async (tx) => {
    const provider = await requireProvider(tx, write.coopId, input.providerId);
    // A reversed invoice no longer counts: its correction is recorded under the same reference.
    const [existing] = await tx
      .select({ id: purchases.id })
      .from(purchases)
      .where(
        and(
          eq(purchases.providerId, provider.id),
          eq(purchases.invoiceReference, input.invoiceReference),
          notInArray(purchases.entryId, reversedEntryIds(tx)),
        ),
      );
    if (existing)
      throw new DomainError('duplicate', `Invoice ${input.invoiceReference} from this provider is already recorded.`, {
        purchaseId: existing.id,
      });
    const rates = (await currentRates(tx, [provider.id])).get(provider.id) ?? [];
    const individualRateOf = (serviceType: string) => rates.find((r) => r.serviceType === serviceType)?.individualRate;

    const { chargeAccounts, weighted } = await chargeTargetsOf(tx, write.coopId, input);
    const lines = input.memberId ? input.lines.map((l) => ({ ...l, memberId: input.memberId! })) : input.lines;
    const { priced, charges, parts, warnings } = planPurchase(lines, individualRateOf, weighted);
    const chargePostings: PostingDraft[] = charges.map((c) => ({
      accountId: chargeAccounts.get(c.memberId)!,
      memberId: c.memberId,
      amount: c.amount,
      category: c.category,
    }));
    const payable = await providerPayableAccountId(tx, provider.id);
    const entryId = await postEntry(tx, postingContextOf(write, 'purchase.create'), {
      kind: 'purchase',
      valueDate: input.invoiceDate,
      memo: `Invoice ${input.invoiceReference} from ${provider.name}`,
      reference: input.invoiceReference,
      postings: [...chargePostings, { accountId: payable, memberId: null, amount: priced.total.negated() }],
    });
    if (weighted && input.allocation) {
      await recordAllocation(tx, write.coopId, entryId, {
        request: input.allocation,
        weighted,
        allocations: parts.map((p) => ({ memberId: p.memberId, amount: p.amount })),
      });
    }
    const id = newId();
    await tx.insert(purchases).values({
      id,
      coopId: write.coopId,
      providerId: provider.id,
      poolId: input.poolId ?? null,
      memberId: input.memberId ?? null,
      invoiceReference: input.invoiceReference,
      invoiceDate: input.invoiceDate,
      serviceFrom: input.serviceFrom,
      serviceTo: input.serviceTo,
      total: formatMoney(priced.total),
      individualRateTotal: formatMoney(priced.individualRateTotal),
      entryId,
    });
    await tx.insert(purchaseLines).values(
      priced.lines.map((l, index) => ({
        purchaseId: id,
        coopId: write.coopId,
        lineNumber: index + 1,
        serviceType: l.serviceType,
        category: l.category,
        description: l.description,
        unit: rates.find((r) => r.serviceType === l.serviceType)?.unit ?? null,
        units: l.units.toFixed(2),
        unitRate: formatMoney(l.unitRate),
        amount: formatMoney(l.amount),
        individualRate: formatMoney(l.individualRate),
        individualAmount: formatMoney(l.individualAmount),
        memberId: l.memberId,
      })),
    );
    await tx.insert(purchaseShares).values(
      parts.map((p) => ({
        purchaseId: id,
        coopId: write.coopId,
        memberId: p.memberId,
        amount: formatMoney(p.amount),
        individualAmount: formatMoney(p.individualAmount),
      })),
    );
    return {
      id,
      entryId,
      total: formatMoney(priced.total),
      individualRateTotal: formatMoney(priced.individualRateTotal),
      saving: formatMoney(priced.saving),
      allocations: parts.map(partView),
      warnings,
    };
  });
}

function partView(p: { memberId: string; amount: Money; individualAmount: Money }) {
  return {
    memberId: p.memberId,
    amount: formatMoney(p.amount),
    individualAmount: formatMoney(p.individualAmount),
    saving: formatMoney(p.individualAmount.minus(p.amount)),
  };
}

async function providerPayableAccountId(db: Queryable, providerId: string): Promise<string> {
  const [row] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.providerId, providerId), eq(accounts.kind, 'provider_payable')));
  if (!row) throw notFound('Provider payable account');
  return row.id;
}

/**
 * Who sees which purchases: treasurers all of the co-op's; a holder only purchases that charged them, and only
 * their part; an LA officer only the parts of their LA's holders.
 */
function visibleMemberIds(principal: Principal, db: Queryable) {
  if (principal.role === 'holder') return [principal.memberId ?? ''];
  if (principal.role === 'la_officer') {
    return db
      .select({ id: accounts.memberId })
      .from(accounts)
      .where(and(eq(accounts.kind, 'holder_funds'), eq(accounts.localAuthorityId, principal.localAuthorityId ?? '')));
  }
  return null;
}

export async function listPurchases({ database, principal }: UseCaseContext, coopId: string, page: PageRequest) {
  return database.read(async (db) => {
    const restrictTo = visibleMemberIds(principal, db);
    const keys = keyset(purchases.id, page);
    const rows = await db
      .select()
      .from(purchases)
      .where(
        and(
          eq(purchases.coopId, coopId),
          restrictTo
            ? inArray(
                purchases.id,
                db
                  .select({ id: purchaseShares.purchaseId })
                  .from(purchaseShares)
                  .where(inArray(purchaseShares.memberId, restrictTo)),
              )
            : undefined,
          keys.after,
        ),
      )
      .orderBy(keys.orderBy)
      .limit(keys.limit);
    const views = await purchaseViews(db, keys.shown(rows), principal);
    return keys.page(rows, (row) => views.get(row.id)!);
  });
}

export async function getPurchase({ database, principal }: UseCaseContext, coopId: string, purchaseId: string) {
  return database.read(async (db) => {
    const [row] = await db
      .select()
      .from(purchases)
      .where(and(eq(purchases.id, purchaseId), eq(purchases.coopId, coopId)));
    if (!row) throw notFound('Purchase');
    const view = (await purchaseViews(db, [row], principal)).get(row.id)!;
    if (principal.role !== 'treasurer' && view.allocations.length === 0) throw notFound('Purchase');
    return view;
  });
}

type PurchaseRow = typeof purchases.$inferSelect;

async function purchaseViews(db: Queryable, rows: PurchaseRow[], principal: Principal) {
  const ids = rows.map((r) => r.id);
  const views = new Map<string, ReturnType<typeof purchaseView>>();
  if (ids.length === 0) return views;
  const restrictTo = visibleMemberIds(principal, db);
  const shares = await db
    .select()
    .from(purchaseShares)
    .where(
      and(
        inArray(purchaseShares.purchaseId, ids),
        restrictTo ? inArray(purchaseShares.memberId, restrictTo) : undefined,
      ),
    );
  const lines = await db
    .select()
    .from(purchaseLines)
    .where(inArray(purchaseLines.purchaseId, ids))
    .orderBy(asc(purchaseLines.lineNumber));
  const paid = await paidByPurchase(db, ids);
  const reversals = await db
    .select({ id: journalEntries.id, reverses: journalEntries.reversesEntryId })
    .from(journalEntries)
    .where(
      inArray(
        journalEntries.reversesEntryId,
        rows.map((r) => r.entryId),
      ),
    );
  const reversalOf = new Map(reversals.map((r) => [r.reverses, r.id]));
  for (const row of rows) {
    const ownShares = shares.filter((s) => s.purchaseId === row.id);
    const visibleLines = lines.filter(
      (l) =>
        l.purchaseId === row.id &&
        (restrictTo === null || (l.memberId !== null && ownShares.some((s) => s.memberId === l.memberId))),
    );
    const state = { paid: paid.get(row.id) ?? ZERO, reversedBy: reversalOf.get(row.entryId) ?? null };
    views.set(row.id, purchaseView(row, ownShares, visibleLines, state, restrictTo === null));
  }
  return views;
}

function purchaseView(
  row: PurchaseRow,
  shares: (typeof purchaseShares.$inferSelect)[],
  lines: (typeof purchaseLines.$inferSelect)[],
  { paid, reversedBy }: { paid: Money; reversedBy: string | null },
  whole: boolean,
) {
  const total = moneyFromDb(row.total);
  const individual = moneyFromDb(row.individualRateTotal);
  // A reversed invoice is owed nothing: the reversal took it off the provider's account.
  const outstanding = reversedBy ? ZERO : total.minus(paid);
  return {
    id: row.id,
    entryId: row.entryId,
    providerId: row.providerId,
    poolId: row.poolId,
    memberId: row.memberId,
    invoiceReference: row.invoiceReference,
    invoiceDate: row.invoiceDate,
    serviceFrom: row.serviceFrom,
    serviceTo: row.serviceTo,
    // A holder or LA officer sees only the parts that are theirs to see, never the invoice's other members.
    total: whole ? formatMoney(total) : null,
    individualRateTotal: whole ? formatMoney(individual) : null,
    saving: whole ? formatMoney(individual.minus(total)) : null,
    paid: whole ? formatMoney(paid) : null,
    outstanding: whole ? formatMoney(outstanding) : null,
    status: purchaseStatus(reversedBy, paid, outstanding),
    reversedBy,
    lines: lines.map((l) => ({
      serviceType: l.serviceType,
      category: l.category,
      description: l.description,
      units: l.units,
      unitRate: formatMoney(moneyFromDb(l.unitRate)),
      amount: formatMoney(moneyFromDb(l.amount)),
      individualRate: formatMoney(moneyFromDb(l.individualRate)),
      memberId: l.memberId,
    })),
    allocations: shares.map((s) =>
      partView({
        memberId: s.memberId,
        amount: moneyFromDb(s.amount),
        individualAmount: moneyFromDb(s.individualAmount),
      }),
    ),
  };
}

/** What has been paid on each purchase, leaving out payments that were reversed. */
async function paidByPurchase(db: Queryable, purchaseIds: string[]): Promise<Map<string, Money>> {
  const reversedEntries = reversedEntryIds(db);
  const rows = await db
    .select({ purchaseId: providerPayments.purchaseId, paid: sql<string>`sum(${providerPayments.amount})::text` })
    .from(providerPayments)
    .where(
      and(inArray(providerPayments.purchaseId, purchaseIds), notInArray(providerPayments.entryId, reversedEntries)),
    )
    .groupBy(providerPayments.purchaseId);
  return new Map(rows.map((r) => [r.purchaseId, moneyFromDb(r.paid)]));
}

export interface PaymentInput {
  amount: Money;
  paidOn: string;
  reference: string;
}

/**
 * Pays (part of) an invoice from the bank. Payments of one invoice queue on its row, so two payments can never
 * together pay more than it is owed. Raises: `not-found`, `invalid-state` (409) for a reversed purchase,
 * `unprocessable` (422) for an overpayment.
 */
export function payPurchase(write: MoneyWrite, purchaseId: string, input: PaymentInput) {
  assertNotFuture(input.paidOn, write.today, 'paidOn');
  return runMoneyWrite(write, async (tx) => {
    const [purchase] = await tx
      .select()
      .from(purchases)
      .where(and(eq(purchases.id, purchaseId), eq(purchases.coopId, write.coopId)))
      .for('update');
    if (!purchase) throw notFound('Purchase');
    const [reversal] = await tx
      .select({ id: journalEntries.id })
      .from(journalEntries)
      .where(eq(journalEntries.reversesEntryId, purchase.entryId));
    if (reversal)
      throw new DomainError('invalid-state', 'This purchase was reversed; there is nothing to pay.', {
        reversedBy: reversal.id,
      });
    const paid = (await paidByPurchase(tx, [purchaseId])).get(purchaseId) ?? ZERO;
    const outstanding = moneyFromDb(purchase.total).minus(paid);
    if (input.amount.gt(outstanding)) {
      throw invalidInput(
        { field: 'amount', message: `at most ${formatMoney(outstanding)}` },
        `This would overpay the invoice: ${formatMoney(outstanding)} is outstanding.`,
        { outstanding: formatMoney(outstanding) },
      );
    }
    const entryId = await postEntry(
      tx,
      postingContextOf(write, 'purchase.payment.create', { targetType: 'purchase', targetId: purchaseId }),
      {
        kind: 'provider_payment',
        valueDate: input.paidOn,
        memo: `Payment of invoice ${purchase.invoiceReference}`,
        reference: input.reference,
        postings: [
          { accountId: await providerPayableAccountId(tx, purchase.providerId), memberId: null, amount: input.amount },
          { accountId: await requireBankAccountId(tx, write.coopId), memberId: null, amount: input.amount.negated() },
        ],
      },
    );
    const id = newId();
    await tx.insert(providerPayments).values({
      id,
      purchaseId,
      entryId,
      amount: formatMoney(input.amount),
      paidOn: input.paidOn,
      reference: input.reference,
    });
    return {
      id,
      entryId,
      purchaseId,
      amount: formatMoney(input.amount),
      paidOn: input.paidOn,
      reference: input.reference,
      outstanding: formatMoney(outstanding.minus(input.amount)),
    };
  });
}

export const PURCHASE_STATUSES = ['outstanding', 'part_paid', 'paid', 'reversed'] as const;

function purchaseStatus(
  reversedBy: string | null,
  paid: Money,
  outstanding: Money,
): (typeof PURCHASE_STATUSES)[number] {
  if (reversedBy) return 'reversed';
  if (outstanding.isZero()) return 'paid';
  return paid.isZero() ? 'outstanding' : 'part_paid';
}
