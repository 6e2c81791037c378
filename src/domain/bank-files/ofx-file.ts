import { parse as parseOfx } from 'ofx-js';
import { type Money, MONEY_PATTERN, parseMoney } from '../money';
import { type BankFile, type BankFileLine, cleanDescription, invalidBankFile } from './bank-file';
import { orderBankFile } from './statement-order';

type OfxNode = Record<string, unknown>;

/** Reads an OFX 1.x (SGML) or 2.x (XML) bank statement: one account, its transactions and its ledger balance. */
export async function readOfxBankFile(text: string): Promise<BankFile> {
  let document: OfxNode;
  try {
    document = (await parseOfx(text)) as unknown as OfxNode;
  } catch (error) {
    throw invalidBankFile(null, `it is not a readable OFX file: ${(error as Error).message}`);
  }
  const statement = statementOf(document);
  const transactions = listOf((node(statement, 'BANKTRANLIST') ?? {})['STMTTRN']);
  const lineNumbers = transactionLineNumbers(text);
  const lines = transactions.map((trn, index): BankFileLine => {
    const lineNumber = lineNumbers[index] ?? index + 1;
    try {
      const amount = ofxAmount(field(trn, 'TRNAMT'));
      if (amount.isZero()) throw new Error('its amount is zero');
      return {
        lineNumber,
        postedOn: ofxDate(field(trn, 'DTPOSTED')),
        description: cleanDescription([...new Set([optionalField(trn, 'NAME'), optionalField(trn, 'MEMO')])].join(' ')),
        amount,
        runningBalance: null,
        bankTransactionId: optionalField(trn, 'FITID') || null,
      };
    } catch (error) {
      throw invalidBankFile(lineNumber, (error as Error).message);
    }
  });
  const ledgerBalance = node(statement, 'LEDGERBAL');
  const closing =
    ledgerBalance && optionalField(ledgerBalance, 'BALAMT') ? ofxAmount(field(ledgerBalance, 'BALAMT')) : null;
  return orderBankFile(lines, { closingBalance: closing });
}

function statementOf(document: OfxNode): OfxNode {
  const root = node(document, 'OFX');
  const bank = root && node(root, 'BANKMSGSRSV1');
  const card = root && node(root, 'CREDITCARDMSGSRSV1');
  const wrappers = listOf(bank?.['STMTTRNRS'] ?? card?.['CCSTMTTRNRS']);
  if (wrappers.length === 0) throw invalidBankFile(null, 'it has no bank statement in it');
  if (wrappers.length > 1)
    throw invalidBankFile(null, 'it holds statements for more than one account; export one account at a time');
  const statement = node(wrappers[0]!, 'STMTRS') ?? node(wrappers[0]!, 'CCSTMTRS');
  if (!statement) throw invalidBankFile(null, 'it has no bank statement in it');
  const currency = optionalField(statement, 'CURDEF');
  if (currency && currency !== 'GBP') throw invalidBankFile(null, `the account is in ${currency}, not GBP`);
  return statement;
}

function node(parent: OfxNode, name: string): OfxNode | null {
  const value = parent[name];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as OfxNode) : null;
}

function listOf(value: unknown): OfxNode[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is OfxNode => typeof v === 'object' && v !== null);
}

function optionalField(parent: OfxNode, name: string): string {
  const value = parent[name];
  return typeof value === 'string' ? value.trim() : '';
}

function field(parent: OfxNode, name: string): string {
  const value = optionalField(parent, name);
  if (value === '') throw new Error(`it has no ${name}`);
  return value;
}

/** OFX amounts are signed decimals; some banks write a decimal comma. */
function ofxAmount(text: string): Money {
  const normalised = text.replace(/^\+/, '').replace(/^(-?\d+),(\d{1,2})$/, '$1.$2');
  if (!MONEY_PATTERN.test(normalised)) throw new Error(`"${text}" is not an amount in pounds and pence`);
  return parseMoney(normalised);
}

/** OFX dates are YYYYMMDD, optionally followed by a time and a zone ("20261002120000.000[0:GMT]"). */
function ofxDate(text: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})/.exec(text);
  const iso = match ? `${match[1]}-${match[2]}-${match[3]}` : '';
  const date = new Date(`${iso}T00:00:00Z`);
  if (!match || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso)
    throw new Error(`"${text}" is not an OFX date`);
  return iso;
}

/** The file line of each <STMTTRN>, so a refusal can say where to look. */
function transactionLineNumbers(text: string): number[] {
  const numbers: number[] = [];
  let line = 1;
  let from = 0;
  for (let at = text.indexOf('<STMTTRN>'); at >= 0; at = text.indexOf('<STMTTRN>', at + 1)) {
    for (let i = from; i < at; i += 1) if (text.charCodeAt(i) === 10) line += 1;
    from = at;
    numbers.push(line);
  }
  return numbers;
}
