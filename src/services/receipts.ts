import { londonDateOf } from '../domain/dates';
import { DomainError } from '../domain/errors';
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
  assertNotFuture(input.receivedOn, londonDateOf(new Date()), 'body.receivedOn');
  return runMoneyWrite(write, 201, async (tx) => {
    const member = await requireMember(tx, write.coopId, input.memberId);
    if (member.stakeholderClass !== 'holder') {
      throw new DomainError('unprocessable', 'Direct Payments are received only for holders.', {
        errors: [{ path: 'body.memberId', message: 'not a holder' }],
      });
    }
    const bankAccountId = await requireBankAccountId(tx, write.coopId);
    const fundsAccountId = await requireHolderFundsAccountId(tx, member.id);
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
