/**
 * The demo co-op's bank account as its bank would export it: a Lloyds-layout CSV (newest first, with a running
 * balance) of every movement the ledger made on the bank, each a day or so later where money takes time to clear,
 * plus what a real month brings: a bank charge, a DP receipt whose reference the council mistyped, and a receipt the
 * treasurer has not recorded yet. Built from the seeded ledger through the public API, so it always agrees with it.
 */
import type { FastifyInstance } from 'fastify';
import { type Money, ZERO, formatMoney, parseMoney } from '../src/domain/money';
import { type DemoTokens, isoDaysBefore } from './demo-seed';

interface BankEntry {
  kind: string;
  valueDate: string;
  memo: string;
  reference: string | null;
  postings: { accountId: string; memberId: string | null; amount: string }[];
}

interface DemoLine {
  date: string;
  type: string;
  description: string;
  amount: Money;
}

/** The line the bank shows for an unrecorded DP receipt: the README has the treasurer record it. */
export const UNRECORDED_RECEIPT = { amount: '150.00', reference: 'LA-ONEOFF-3', daysAgo: 9 } as const;
export const BANK_CHARGE = { amount: '-8.50', description: 'SERVICE CHARGES', daysAgo: 35 } as const;

export async function demoBankExport(app: FastifyInstance, demo: DemoTokens, today = new Date()): Promise<string> {
  const c = `/v1/coops/${demo.coopId}`;
  const get = async <T>(url: string, token = demo.treasurer): Promise<T> => {
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    if (res.statusCode !== 200) throw new Error(`demo bank export: GET ${url} → ${res.statusCode}`);
    return JSON.parse(res.body) as T;
  };
  const { bankAccountId } = await get<{ bankAccountId: string }>(c);
  // Councils pay under their own names: the holder's LA, by member.
  const councils = new Map([
    ['WXM', 'WREXHAM CBC'],
    ['FLN', 'FLINTSHIRE CC'],
  ]);
  const las = await get<{ items: { id: string; code: string }[] }>('/v1/local-authorities?limit=500', demo.admin);
  const members = await get<{ items: { id: string; localAuthorityId: string | null }[] }>(`${c}/members?limit=500`);
  const laCode = new Map(las.items.map((la) => [la.id, la.code]));
  const councilOf = new Map(
    members.items.map((m) => [m.id, councils.get(laCode.get(m.localAuthorityId ?? '') ?? '') ?? 'COUNCIL']),
  );
  const entries: BankEntry[] = [];
  for (let cursor: string | null = null; ; ) {
    const page: { items: BankEntry[]; nextCursor: string | null } = await get(
      `${c}/entries?accountId=${bankAccountId}&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
    );
    entries.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  let mistyped = false;
  const lines: DemoLine[] = entries.map((entry) => {
    const amount = entry.postings
      .filter((p) => p.accountId === bankAccountId)
      .reduce((total, p) => total.plus(parseMoney(p.amount)), ZERO);
    if (entry.kind === 'dp_receipt') {
      const council = councilOf.get(entry.postings.find((p) => p.memberId)?.memberId ?? '') ?? 'COUNCIL';
      let reference = entry.reference ?? '';
      // One remittance arrives with a letter O typed for a zero: matched by amount and date instead.
      if (!mistyped && reference.includes('0')) {
        reference = reference.replace('0', 'O');
        mistyped = true;
      }
      return { date: daysAfter(entry.valueDate, 1), type: 'BGC', description: `${council} DP ${reference}`, amount };
    }
    if (entry.kind === 'provider_payment')
      return {
        date: entry.valueDate,
        type: 'FPO',
        description: `${entry.memo.replace(/^Payment of invoice /, 'INV ')} ${entry.reference ?? ''}`.trim(),
        amount,
      };
    return {
      date: daysAfter(entry.valueDate, 1),
      type: 'DEB',
      description: entry.memo.replace(/^[^:]*: /, '').toUpperCase(),
      amount,
    };
  });
  lines.push({
    date: isoDaysBefore(today, BANK_CHARGE.daysAgo),
    type: 'FEE',
    description: BANK_CHARGE.description,
    amount: parseMoney(BANK_CHARGE.amount),
  });
  lines.push({
    date: isoDaysBefore(today, UNRECORDED_RECEIPT.daysAgo),
    type: 'BGC',
    description: `FLINTSHIRE CC DP ${UNRECORDED_RECEIPT.reference}`,
    amount: parseMoney(UNRECORDED_RECEIPT.amount),
  });
  return lloydsCsv(lines);
}

function lloydsCsv(lines: DemoLine[]): string {
  const chronological = [...lines].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let balance = ZERO;
  const rows = chronological.map((line) => {
    balance = balance.plus(line.amount);
    const [year, month, day] = line.date.split('-');
    const debit = line.amount.lt(0) ? formatMoney(line.amount.negated()) : '';
    const credit = line.amount.gt(0) ? formatMoney(line.amount) : '';
    return [
      `${day}/${month}/${year}`,
      line.type,
      "'30-94-57",
      '00123456',
      csvCell(line.description),
      debit,
      credit,
      formatMoney(balance),
    ].join(',');
  });
  return (
    [
      'Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance',
      ...rows.reverse(),
    ].join('\r\n') + '\r\n'
  );
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function daysAfter(isoDate: string, days: number): string {
  return isoDaysBefore(new Date(`${isoDate}T00:00:00Z`), -days);
}
