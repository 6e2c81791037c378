/**
 * The fixed vocabularies of Cronfa, each defined once. The database's CHECK constraints are built from these lists
 * (db/schema), the request schemas take their enums from them, and the types below are what the rest of the code
 * uses. Account kinds, entry kinds, spending categories and provider kinds live beside the rules that use them
 * (ledger.ts, categories.ts).
 */
/** The roles an API token can be made for. */
export const ROLES = ['admin', 'treasurer', 'holder', 'la_officer'] as const;
/** The roles a person signs in with: a supporter (a holder's "nominated person") is a person, never an API token. */
export const PERSON_ROLES = [...ROLES, 'supporter'] as const;
export type Role = (typeof PERSON_ROLES)[number];
export type TokenRole = (typeof ROLES)[number];

/** What a supporter may do for a holder: see what the holder sees, or also act for them (approvals). */
export const SUPPORT_ACCESS = ['view', 'act'] as const;
export type SupportAccess = (typeof SUPPORT_ACCESS)[number];

export const STAKEHOLDER_CLASSES = ['holder', 'worker', 'supporter', 'family_carer'] as const;
export type StakeholderClass = (typeof STAKEHOLDER_CLASSES)[number];

export const LANGUAGES = ['en', 'cy'] as const;
export type Language = (typeof LANGUAGES)[number];

/** How often an LA pays a Direct Payment award (and an agreed pool contribution). */
export const AWARD_FREQUENCIES = ['weekly', 'four_weekly', 'monthly'] as const;
export type AwardFrequency = (typeof AWARD_FREQUENCIES)[number];

/** The period a rate card's volume tiers count units over. */
export const TIER_PERIODS = ['week', 'month'] as const;
export type TierPeriod = (typeof TIER_PERIODS)[number];

export const RATE_UNITS = ['hour', 'session', 'day', 'night', 'item'] as const;
export type RateUnit = (typeof RATE_UNITS)[number];

export const STATEMENT_FORMATS = ['json', 'csv', 'pdf'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

export const STATEMENT_KINDS = ['holder', 'pool', 'local_authority'] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

export const BANK_FILE_FORMATS = ['csv', 'ofx'] as const;
export type BankFileFormat = (typeof BANK_FILE_FORMATS)[number];

/** How bank lines and entries came to be matched: automatically by reference, by amount and date, an entry
 * cancelled by its reversal (contra), by hand, or an entry booked for the line. */
export const MATCH_METHODS = ['reference', 'amount_date', 'contra', 'manual', 'booked'] as const;
export type MatchMethod = (typeof MATCH_METHODS)[number];
