import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { accounts } from '../../db/schema/index';
import { type Tx, rowShape, rowsOf } from '../db/database';
import { DomainError, invalidInput } from '../domain/errors';
import { type Money, formatMoney } from '../domain/money';
import { postEntry } from './ledger/post-entry';
import { requireBankAccountId, requireHolderFundsAccountId, requireMember } from './lookups';
import { type MoneyWrite, assertNotFuture, postingContextOf, runMoneyWrite } from './money-writes';

export interface NewReceipt {
  memberId: string;
  amount: Money;
  receivedOn: string;
  reference: string;
}

/**
 * DP money received from the LA for a holder: bank up, holder funds up.
 * Raises: `not-found` (404) for an unknown member, `unprocessable` (422) for a non-holder or a future date.
 */
export function recordReceipt(write: MoneyWrite, input: NewReceipt) {
  assertNotFuture(input.receivedOn, write.today, 'receivedOn');
  return runMoneyWrite(write, async (tx) => {
    const member = await requireMember(tx, write.coopId, input.memberId);
    if (member.stakeholderClass !== 'holder') {
      throw invalidInput(
        { field: 'memberId', message: 'not a holder' },
        'Direct Payments are received only for holders.',
      );
    }
    const bankAccountId = await requireBankAccountId(tx, write.coopId);
    const fundsAccountId = await requireHolderFundsAccountId(tx, member.id);
    await refuseSecondReceipt(tx, fundsAccountId, input.reference);
    const entryId = await postEntry(tx, postingContextOf(write, 'receipt.create'), {
      kind: 'dp_receipt',
      valueDate: input.receivedOn,
      memo: `Direct Payment received for ${member.laReference}`,
      reference: input.reference,
      postings: [
        { accountId: bankAccountId, memberId: null, amount: input.amount },
        { accountId: fundsAccountId, memberId: member.id, amount: input.amount.negated() },
      ],
    });
    return {
      entryId,
      memberId: member.id,
      amount: formatMoney(input.amount),
      receivedOn: input.receivedOn,
      reference: input.reference,
    };
  });
}

/**
 * An LA pays a holder once under a remittance reference: the same reference again for the same holder is almost
 * always the same money keyed twice (a retried request with its Idempotency-Key is replayed before it gets here).
 * Receipts for one holder queue on their funds account's row, so two at once cannot both pass. A reversed receipt no
 * longer counts, so a corrected one may be recorded under its reference.
 * Raises: `duplicate` (409) naming the earlier entry.
 */
async function refuseSecondReceipt(tx: Tx, fundsAccountId: string, reference: string): Promise<void> {
  await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, fundsAccountId)).for('update');
  const [earlier] = rowsOf(
    rowShape('earlier receipt', { entryId: z.string(), valueDate: z.string() }),
    await tx.execute(sql`
      select e.id as "entryId", e.value_date::text as "valueDate"
        from postings p join counted_entries e on e.id = p.entry_id
       where p.account_id = ${fundsAccountId}::uuid and e.kind = 'dp_receipt' and e.reference = ${reference}
         and not e.reversed
       limit 1`),
  );
  if (earlier) {
    throw new DomainError(
      'duplicate',
      `A Direct Payment with reference ${reference} was already recorded for this holder on ${earlier.valueDate}.`,
      { entryId: earlier.entryId },
      [{ field: 'reference', message: 'already recorded for this holder' }],
    );
  }
}
