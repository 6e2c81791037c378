/** Statement wording in English and Welsh, loaded from templates/ and filled in with named values. */
export type Language = 'en' | 'cy';

export interface Wording {
  holderTitle: string;
  openingBalance: string;
  closingBalance: string;
  funds: string;
  poolShare: string;
  kinds: Record<string, string>;
  methods: Record<string, string>;
  sharedCostLine: string;
}

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
