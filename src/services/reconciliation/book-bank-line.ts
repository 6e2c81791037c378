import { and, eq, sql } from 'drizzle-orm';
import { accounts, bankLines } from '../../../db/schema/index';
import type { Tx } from '../../db/database';
import { newId } from '../../db/ids';
import { COOP_OWN_CODE, SUSPENSE_CODE } from '../../domain/account-codes';
import { DomainError, notFound, invalidField } from '../../domain/errors';
import type { EntryDraft } from '../../domain/ledger';
import { type Money, formatMoney, moneyFromDb } from '../../domain/money';
import type { AllocationRequest } from '../allocations';
import { postEntry } from '../ledger/post-entry';
import { requireBankAccountId, requireHolderFundsAccountId, requireMember } from '../lookups';
import { type MoneyWrite, postingContextOf, runMoneyWrite } from '../money-writes';
import { recordSharedCost } from '../shared-costs';
import { lockReconciliation } from './locks';
import { insertMatchesOnce } from './matching';

export const BOOKING_KINDS = ['bank_charge', 'interest', 'suspense', 'la_recovery'] as const;
export type BookingKind = (typeof BOOKING_KINDS)[number];

export interface BookingInput {
  kind: BookingKind;
  /** la_recovery: the holder whose unspent money the LA took back. */
  memberId?: string | undefined;
  /** bank_charge: share it across this pool's members like a shared cost (otherwise the co-op bears it). */
  poolId?: string | undefined;
  allocation?: AllocationRequest | undefined;
}

/**
 * Explains a bank line nothing in the ledger matches by posting the entry it stands for, dated the day the bank
 * moved the money, and matching the two. Bank charges are borne by the co-op or shared across a pool's members;
 * interest is the co-op's; suspense holds what nobody can explain yet; an LA recovery takes unspent DP money back
 * from the holder's funds (refused whole if the holder has less).
 */
export function bookBankLine(write: MoneyWrite, lineId: string, input: BookingInput) {
  return runMoneyWrite(write, async (tx) => {
    await lockReconciliation(tx, write.coopId);
    const [line] = await tx
      .select()
      .from(bankLines)
      .where(and(eq(bankLines.id, lineId), eq(bankLines.coopId, write.coopId)));
    if (!line) throw notFound('Bank line');
    const amount = moneyFromDb(line.amount);
    assertDirection(input, amount);
    const entryId = await postBooking(tx, write, input, {
      id: line.id,
      postedOn: line.postedOn,
      description: line.description,
      amount,
    });
    const [matchId] = await insertMatchesOnce(tx, write, { method: 'booked', lineIds: [line.id], entryIds: [entryId] });
    return {
      bankLineId: line.id,
      kind: input.kind,
      entryId,
      matchId: matchId!,
      amount: formatMoney(amount),
      postedOn: line.postedOn,
    };
  });
}

function assertDirection(input: BookingInput, amount: Money): void {
  const refuse = (message: string, field = 'kind') => {
    throw invalidField(field, message, message);
  };
  if ((input.kind === 'bank_charge' || input.kind === 'la_recovery') && amount.gt(0))
    refuse(`a ${input.kind.replace('_', ' ')} is money paid out, but this line is money paid in`);
  if (input.kind === 'interest' && amount.lt(0)) refuse('interest is money paid in, but this line is money paid out');
  if (input.kind === 'la_recovery' && !input.memberId)
    refuse('name the holder whose money the local authority recovered', 'memberId');
  if (input.kind !== 'la_recovery' && input.memberId) refuse(`memberId is only for la_recovery`, 'memberId');
  if (input.kind !== 'bank_charge' && (input.poolId || input.allocation))
    refuse('only a bank charge can be shared across a pool', 'poolId');
  if (input.allocation && !input.poolId) refuse('an allocation needs the pool to share the charge across', 'poolId');
}

interface LineFacts {
  id: string;
  postedOn: string;
  description: string;
  amount: Money;
}

async function postBooking(tx: Tx, write: MoneyWrite, input: BookingInput, line: LineFacts): Promise<string> {
  const context = postingContextOf(write, `bank_line.book_${input.kind}`, {
    targetType: 'bank_line',
    targetId: line.id,
  });
  const bankAccountId = await requireBankAccountId(tx, write.coopId);
  const draft = (
    kind: EntryDraft['kind'],
    memo: string,
    accountId: string,
    memberId: string | null = null,
  ): EntryDraft => ({
    kind,
    valueDate: line.postedOn,
    memo,
    postings: [
      { accountId: bankAccountId, memberId: null, amount: line.amount },
      { accountId, memberId, amount: line.amount.negated() },
    ],
  });
  switch (input.kind) {
    case 'bank_charge': {
      if (input.poolId) {
        const cost = await recordSharedCost(tx, write, input.poolId, {
          category: 'bank_charges',
          description: `Bank charge: ${line.description}`.slice(0, 200),
          amount: line.amount.negated(),
          date: line.postedOn,
          allocation: input.allocation ?? { method: 'equal' },
        });
        return cost.entryId;
      }
      return postEntry(
        tx,
        context,
        draft('bank_charge', `Bank charge: ${line.description}`, await coopAccountId(tx, write.coopId, 'coop_own')),
      );
    }
    case 'interest':
      return postEntry(
        tx,
        context,
        draft('bank_interest', `Bank interest: ${line.description}`, await coopAccountId(tx, write.coopId, 'coop_own')),
      );
    case 'suspense':
      return postEntry(
        tx,
        context,
        draft('suspense', `Suspense: ${line.description}`, await coopAccountId(tx, write.coopId, 'suspense')),
      );
    case 'la_recovery': {
      const member = await requireMember(tx, write.coopId, input.memberId!);
      if (member.stakeholderClass !== 'holder')
        throw new DomainError('unprocessable', 'Only a DP holder has money a local authority can recover.');
      const fundsId = await requireHolderFundsAccountId(tx, member.id);
      return postEntry(
        tx,
        context,
        draft(
          'la_recovery',
          `Unspent Direct Payment returned to the local authority: ${line.description}`,
          fundsId,
          member.id,
        ),
      );
    }
  }
}

const COOP_ACCOUNTS = {
  coop_own: { code: COOP_OWN_CODE, name: "Co-op's own money" },
  suspense: { code: SUSPENSE_CODE, name: 'Suspense (bank lines not yet explained)' },
} as const;

/** The co-op's own or suspense account, created the first time it is needed. */
async function coopAccountId(tx: Tx, coopId: string, kind: keyof typeof COOP_ACCOUNTS): Promise<string> {
  const { code, name } = COOP_ACCOUNTS[kind];
  await tx.execute(
    sql`insert into accounts (id, coop_id, code, name, kind) values (${newId()}::uuid, ${coopId}::uuid, ${code}, ${name}, ${kind}) on conflict do nothing`,
  );
  const [row] = await tx
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.coopId, coopId), eq(accounts.kind, kind)));
  return row!.id;
}
