import { isCalendarDate } from '../dates';
import { type Money, MONEY_PATTERN, parseMoney } from '../money';
import {
  BANK_TRANSACTION_ID_MAX_CHARS,
  type BankFile,
  type BankFileLine,
  cleanDescription,
  invalidBankFile,
} from './bank-file';
import { type OfxElement, childrenNamed, readOfxDocument } from './ofx-reader';
import { orderBankFile } from './statement-order';

/** OFX's own limit on a FITID; a longer one would not fit the index that skips re-imported lines. */
const FITID_MAX_CHARS = BANK_TRANSACTION_ID_MAX_CHARS;
/** Longer than any amount a bank writes, even with its extra zeros ("-1234567.890000"). */
const AMOUNT_MAX_CHARS = 32;
/** A value quoted back in a refusal is cut to this, so the message stays short whatever the file holds. */
const QUOTED_MAX_CHARS = 40;

/** A transaction's problem, told with the line of its <STMTTRN>. */
class TransactionProblem extends Error {}

/**
 * Reads an OFX 1.x (SGML) or 2.x (XML) bank or credit-card statement: one account in pounds, its transactions and,
 * when the bank gives it, its ledger balance.
 */
export function readOfxBankFile(text: string): BankFile {
  const statement = statementOf(readOfxDocument(text).root);
  const list = onlyChild(statement, 'BANKTRANLIST');
  const lines = (list ? childrenNamed(list, 'STMTTRN') : []).map(transactionLine);
  return orderBankFile(lines, { closingBalance: closingBalanceOf(statement) });
}

function statementOf(root: OfxElement): OfxElement {
  const wrappers = [
    ...grandchildren(root, 'BANKMSGSRSV1', 'STMTTRNRS'),
    ...grandchildren(root, 'CREDITCARDMSGSRSV1', 'CCSTMTTRNRS'),
  ];
  const investments = grandchildren(root, 'INVSTMTMSGSRSV1', 'INVSTMTTRNRS');
  if (wrappers.length === 0 && childrenNamed(root, 'INVSTMTMSGSRSV1').length > 0)
    throw invalidBankFile(null, 'it is an investment statement; only bank and credit-card statements can be imported');
  if (wrappers.length + investments.length > 1)
    throw invalidBankFile(null, 'it holds statements for more than one account; export one account at a time');
  const wrapper = wrappers[0];
  const statement = wrapper && (onlyChild(wrapper, 'STMTRS') ?? onlyChild(wrapper, 'CCSTMTRS'));
  if (!statement) throw invalidBankFile(null, 'it has no bank statement in it');
  const currency = valueOf(statement, 'CURDEF');
  if (currency === '') throw invalidBankFile(null, 'the file does not say which currency the account is in');
  if (currency.toUpperCase() !== 'GBP') throw invalidBankFile(null, `the account is in ${shown(currency)}, not GBP`);
  return statement;
}

function transactionLine(trn: OfxElement): BankFileLine {
  try {
    refuseForeignCurrency(trn);
    const amount = ofxAmount(requiredValue(trn, 'TRNAMT'));
    if (amount.isZero()) throw new TransactionProblem('its amount is zero');
    const postedOn = ofxDate(requiredValue(trn, 'DTPOSTED'));
    const fitid = valueOf(trn, 'FITID');
    if (fitid.length > FITID_MAX_CHARS)
      throw new TransactionProblem(`its FITID is longer than ${FITID_MAX_CHARS} characters`);
    const names = [...valuesOf(trn, 'NAME'), ...valuesOf(trn, 'MEMO')];
    return {
      lineNumber: trn.line,
      postedOn,
      description: cleanDescription([...new Set(names)].join(' ')),
      amount,
      runningBalance: null,
      bankTransactionId: fitid || null,
    };
  } catch (error) {
    if (error instanceof TransactionProblem) throw invalidBankFile(trn.line, error.message);
    throw error;
  }
}

/**
 * A transaction may carry its own currency: <CURRENCY> (its amount is in that currency) or <ORIGCURRENCY> (it was
 * converted from it). Cronfa's ledger is in pounds, so either naming anything but GBP is refused.
 */
function refuseForeignCurrency(trn: OfxElement): void {
  const currency = onlyChild(trn, 'CURRENCY');
  const original = onlyChild(trn, 'ORIGCURRENCY');
  const symbolOf = (element: OfxElement) => shown(valueOf(element, 'CURSYM')) || 'an unnamed currency';
  if (currency && valueOf(currency, 'CURSYM').toUpperCase() !== 'GBP')
    throw new TransactionProblem(`it is in ${symbolOf(currency)}, not GBP`);
  if (original && valueOf(original, 'CURSYM').toUpperCase() !== 'GBP')
    throw new TransactionProblem(`it was converted from ${symbolOf(original)}; only amounts in GBP can be imported`);
}

/** The balance is optional to Cronfa: without one (no LEDGERBAL, or an empty BALAMT) the lines import alone. */
function closingBalanceOf(statement: OfxElement): Money | null {
  const ledger = onlyChild(statement, 'LEDGERBAL');
  const balance = ledger && onlyChild(ledger, 'BALAMT');
  const text = balance?.text.trim() ?? '';
  if (!balance || text === '') return null;
  try {
    return ofxAmount(text);
  } catch (error) {
    if (error instanceof TransactionProblem)
      throw invalidBankFile(balance.line, `the closing balance ${error.message}`);
    throw error;
  }
}

function grandchildren(root: OfxElement, name: string, childName: string): OfxElement[] {
  return childrenNamed(root, name).flatMap((element) => childrenNamed(element, childName));
}

/** The one child with a name, or null; two where OFX allows one would leave us guessing, so they are refused. */
function onlyChild(parent: OfxElement, name: string): OfxElement | null {
  const [first, second] = childrenNamed(parent, name);
  if (second) throw invalidBankFile(second.line, `${parent.name} has more than one ${name}`);
  return first ?? null;
}

function valueOf(parent: OfxElement, name: string): string {
  return onlyChild(parent, name)?.text.trim() ?? '';
}

/** Every NAME (or MEMO) of a transaction, in file order: one written twice is joined, never dropped. */
function valuesOf(parent: OfxElement, name: string): string[] {
  return childrenNamed(parent, name).map((element) => element.text.trim());
}

function requiredValue(parent: OfxElement, name: string): string {
  const value = valueOf(parent, name);
  if (value === '') throw new TransactionProblem(`it has no ${name}`);
  return value;
}

/**
 * OFX amounts are signed decimals. Some banks write a decimal comma ("-12,00"), and some more decimals than pence
 * ("-30.000", "-3.77000"): those are read when the extra digits are zeros, and "-3.775" is not a number of pence.
 */
function ofxAmount(text: string): Money {
  const refusal = new TransactionProblem(`"${shown(text)}" is not an amount in pounds and pence`);
  if (text.length > AMOUNT_MAX_CHARS) throw refusal;
  const normalised = text
    .replace(/^\+/, '')
    .replace(/^(-?\d+),(\d{1,2})$/, '$1.$2')
    .replace(/^(-?\d+\.\d{2})0+$/, '$1');
  if (!MONEY_PATTERN.test(normalised)) throw refusal;
  return parseMoney(normalised);
}

/** OFX dates are YYYYMMDD, optionally followed by a time and a zone ("20261002120000.000[0:GMT]"). */
function ofxDate(text: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})/.exec(text);
  const iso = match ? `${match[1]}-${match[2]}-${match[3]}` : '';
  if (!isCalendarDate(iso)) throw new TransactionProblem(`"${shown(text)}" is not an OFX date`);
  return iso;
}

function shown(text: string): string {
  return text.length > QUOTED_MAX_CHARS ? `${text.slice(0, QUOTED_MAX_CHARS)}…` : text;
}
