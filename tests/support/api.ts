/**
 * The bodies the API answers with, as the tests read them: `h.call<Entry>(...)` types an answer's body (a type, not
 * a check: the test's assertions check it). Each mirrors a response schema of src/http/routes; money is a string of
 * exactly two decimals, dates `YYYY-MM-DD`, times ISO 8601. A refusal's body is a `Problem` (./problems).
 */
import type { z } from 'zod';
import type { HolderStatementJson, LaStatementJson, PoolStatementJson } from '../../src/http/routes/statement-docs';

/** The statements' JSON bodies are documented by zod schemas of the service's own: their types are those. */
export type HolderStatement = z.output<typeof HolderStatementJson>;
export type PoolStatement = z.output<typeof PoolStatementJson>;
export type LaStatement = z.output<typeof LaStatementJson>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface LocalAuthority {
  id: string;
  name: string;
  nameCy: string;
  code: string;
  surplusThresholdWeeks: number;
  createdAt: string;
}

export interface CoopOfLocalAuthority {
  id: string;
  name: string;
  nameCy: string | null;
  holderCount: number;
  reconciledThrough: string | null;
}

export interface Coop {
  id: string;
  name: string;
  nameCy: string | null;
  registrationNumber: string | null;
  bankAccountId: string;
  createdAt: string;
}

export type Role = 'admin' | 'treasurer' | 'holder' | 'la_officer';

export interface Token {
  id: string;
  role: Role;
  label: string;
  coopId: string | null;
  memberId: string | null;
  localAuthorityId: string | null;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A token as it is issued: the secret is shown this once. */
export interface IssuedToken extends Token {
  token: string;
}

export interface Award {
  id: string;
  amount: string;
  frequency: string;
  startsOn: string;
  endsOn: string | null;
  replacedBy: string | null;
}

export interface Member {
  id: string;
  coopId: string;
  name: string;
  stakeholderClass: string;
  localAuthorityId: string | null;
  laReference: string | null;
  preferredLanguage: 'cy' | 'en';
  award: Award | null;
  awards: Award[];
  createdAt: string;
}

export interface Receipt {
  entryId: string;
  memberId: string;
  amount: string;
  receivedOn: string;
  reference: string;
}

export interface MemberBalance {
  memberId: string;
  asOf: string;
  funds: string;
  pools: { poolId: string; name: string; share: string }[];
  total: string;
}

export interface PoolMembership {
  memberId: string;
  name: string;
  joinedOn: string;
  leftOn: string | null;
  joinedAt: string;
  agreedContribution: { amount: string; frequency: string } | null;
}

export interface Pool {
  id: string;
  coopId: string;
  code: string;
  name: string;
  nameCy: string | null;
  purpose: string;
  createdAt: string;
  /** Treasurers only. */
  members?: PoolMembership[];
}

export interface Contribution {
  entryId: string;
  poolId: string;
  memberId: string;
  amount: string;
  date: string;
}

export interface PoolLeave {
  poolId: string;
  memberId: string;
  leftOn: string;
  entryId: string | null;
  returned: string;
}

export interface PoolBalance {
  poolId: string;
  asOf: string;
  total: string;
  shares: { memberId: string; name: string; share: string }[];
}

export interface Account {
  id: string;
  code: string;
  name: string;
  kind: string;
  memberId: string | null;
  poolId: string | null;
  providerId: string | null;
  balance: string;
}

export interface Posting {
  accountId: string;
  accountCode: string;
  accountName: string;
  memberId: string | null;
  amount: string;
}

export interface Entry {
  id: string;
  kind: string;
  valueDate: string;
  postedAt: string;
  memo: string;
  reference: string | null;
  createdBy: string;
  postings: Posting[];
  reverses: string | null;
  reversedBy: string | null;
}

export interface AuditEvent {
  id: string;
  at: string;
  actorTokenId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
}

export interface Allocated {
  memberId: string;
  amount: string;
}

export interface SharedCostPreview {
  method: string;
  allocations: Allocated[];
  /** Members of the pool on the date whom the split charges nothing. */
  notCharged: string[];
}

export interface SharedCost {
  id: string;
  entryId: string;
  method: string;
  amount: string;
  allocations: Allocated[];
}

export interface RateCard {
  services: {
    serviceType: string;
    unit: string;
    individualRate: string;
    tierPeriod: string;
    tiers: { minUnits: string; rate: string }[];
  }[];
}

export interface Provider {
  id: string;
  coopId: string;
  name: string;
  kind: string;
  ciwNumber: string | null;
  welshLanguageService: boolean;
  locality: string;
  createdAt: string;
  rates: RateCard | null;
}

/** A member's part of a purchase: what they pay, what they would have paid alone, and the difference. */
export interface PurchasePart {
  memberId: string;
  amount: string;
  individualAmount: string;
  saving: string;
}

export interface PurchaseWarning {
  line: number;
  code: 'above-card-rate' | 'no-card-rate';
  message: string;
}

export interface PurchaseCreated {
  id: string;
  entryId: string;
  total: string;
  individualRateTotal: string;
  saving: string;
  allocations: PurchasePart[];
  warnings: PurchaseWarning[];
}

export interface Purchase {
  id: string;
  entryId: string;
  providerId: string;
  poolId: string | null;
  memberId: string | null;
  invoiceReference: string;
  invoiceDate: string;
  serviceFrom: string;
  serviceTo: string;
  /** Treasurers only; null for a holder or LA officer. */
  total: string | null;
  individualRateTotal: string | null;
  saving: string | null;
  paid: string | null;
  outstanding: string | null;
  status: string;
  reversedBy: string | null;
  lines: {
    serviceType: string;
    category: string;
    description: string;
    units: string;
    unitRate: string;
    amount: string;
    individualRate: string;
    memberId: string | null;
  }[];
  allocations: PurchasePart[];
}

export interface Payment {
  id: string;
  entryId: string;
  purchaseId: string;
  amount: string;
  paidOn: string;
  reference: string;
  outstanding: string;
}

export interface Quote {
  serviceType: string;
  period: string;
  totalUnits: string;
  providers: {
    providerId: string;
    name: string;
    kind: string;
    welshLanguageService: boolean;
    unit: string;
    unitRate: string;
    total: string;
    individualTotal: string;
    saving: string;
  }[];
}

export interface BankStatement {
  id: string;
  format: string;
  layout: string;
  lineCount: number;
  importedCount: number;
  duplicatesSkipped: number;
  from: string;
  to: string;
  openingBalance: string | null;
  closingBalance: string | null;
}

export interface AutoMatchResult {
  windowDays: number;
  matched: { byReference: number; byAmountAndDate: number; contra: number };
  unmatchedBankLines: number;
  unmatchedEntries: number;
  suggestionCount: number;
  suggestions: { bankLineId: string; entryIds: string[] }[];
}

export interface Match {
  id: string;
  method: string;
  bankLineIds: string[];
  entryIds: string[];
  amount: string;
}

export interface Booking {
  bankLineId: string;
  kind: string;
  entryId: string;
  matchId: string;
  amount: string;
  postedOn: string;
}

export interface UnmatchedLine {
  id: string;
  postedOn: string;
  description: string;
  amount: string;
  candidateEntryIds: string[];
}

export interface UnmatchedEntry {
  id: string;
  valueDate: string;
  kind: string;
  memo: string;
  amount: string;
}

export interface ReconciliationSummary {
  asOf: string;
  ledgerBankBalance: string;
  statementBalance: string | null;
  difference: string | null;
  closedThrough: string | null;
  reconciledThrough: string | null;
  unmatchedBankLineCount: number;
  unmatchedEntryCount: number;
  unmatchedBankLines: UnmatchedLine[];
  unmatchedEntries: UnmatchedEntry[];
}

export interface Period {
  id: string;
  through: string;
  ledgerBankBalance: string;
  statementBalance: string | null;
  difference: string | null;
  forced: boolean;
  reason: string | null;
  closedBy: string;
  closedAt: string;
}

export interface PurchasingReport {
  from: string;
  to: string;
  purchaseCount: number;
  spend: string;
  individualRateSpend: string;
  collectiveSaving: string;
  savingPercent: string;
  sharedCosts: string;
  spendByProviderKind: { kind: string; spend: string; sharePercent: string }[];
  socialValueProviders: { kinds: string[]; spend: string; sharePercent: string };
  welshLanguageProviders: { spend: string; sharePercent: string };
  fairPay: {
    realLivingWageHourly: string | null;
    effectiveFrom: string | null;
    onCostPercent: string | null;
    minimumHourlyRate: string | null;
    belowMinimum: {
      purchaseId: string;
      invoiceReference: string;
      providerId: string;
      providerName: string;
      serviceType: string;
      unitRate: string;
      minimumHourlyRate: string;
    }[];
  };
  note: string;
}

/** The answer to PUT …/award: the award recorded, the award in force today and the member's whole history. */
export interface AwardChange extends Award {
  memberId: string;
  award: Award | null;
  awards: Award[];
}

export interface IssuedStatement {
  id: string;
  kind: string;
  subjectId: string;
  from: string;
  to: string;
  format: string;
  language: string;
  sha256: string;
  issuedByTokenId: string;
  issuedAt: string;
  lastIssuedAt: string;
  timesIssued: number;
}
