/**
 * Stable hledger-style account codes (`liabilities:holders:DP-1000:funds`). They name accounts by LA reference
 * and pool code, never by a person's name, because the journal export travels outside the co-op.
 */
export const BANK_CODE = 'assets:bank';
/** The co-op's own money (bank charges it bears, interest it keeps): equity, not any member's. */
export const COOP_OWN_CODE = 'equity:coop';
/** Bank lines nobody can explain yet, until the treasurer finds out whose they are. */
export const SUSPENSE_CODE = 'liabilities:suspense';

export function holderFundsCode(laReference: string): string {
  return `liabilities:holders:${laReference}:funds`;
}

export function poolShareCode(poolCode: string, laReference: string): string {
  return `liabilities:pools:${poolCode}:${laReference}`;
}

/** A code from a name (pools, providers): lower-case ASCII words joined by hyphens (ŵ → w), at most 40 characters. */
export function slugOf(name: string, fallback = 'pool'): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return ascii.length > 0 ? ascii : fallback;
}

/** LA references appear inside account codes, so they are limited to characters hledger reads plainly. */
export const LA_REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/;

export function providerPayableCode(providerCode: string): string {
  return `liabilities:providers:${providerCode}`;
}
