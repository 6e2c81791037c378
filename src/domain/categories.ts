/** Spending categories, shared by shared costs and purchases; statements report spend by these. */
export const SHARED_COST_CATEGORIES = [
  'admin',
  'support_coordination',
  'insurance',
  'payroll_services',
  'training',
  'bank_charges',
  'other',
] as const;
export const PURCHASE_CATEGORIES = [
  'personal_assistance',
  'agency_care',
  'day_activities',
  'respite',
  'equipment',
  'other',
] as const;
export const SPENDING_CATEGORIES = [...new Set([...SHARED_COST_CATEGORIES, ...PURCHASE_CATEGORIES])] as const;

export type SharedCostCategory = (typeof SHARED_COST_CATEGORIES)[number];
export type PurchaseCategory = (typeof PURCHASE_CATEGORIES)[number];

/** Care bought by the hour whose rate must leave room for the Real Living Wage (the fair-pay flag). */
export const HOURLY_CARE_CATEGORIES: readonly string[] = ['personal_assistance', 'agency_care', 'respite'];

/** A purchase line's category: its service type when that names a category, otherwise `other`. */
export function categoryOfServiceType(serviceType: string): PurchaseCategory {
  return (PURCHASE_CATEGORIES as readonly string[]).includes(serviceType) ? (serviceType as PurchaseCategory) : 'other';
}

export const PROVIDER_KINDS = [
  'cooperative',
  'social_enterprise',
  'charity',
  'user_led',
  'private',
  'individual_pa',
  'public',
] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** The kinds the Social Services and Well-being (Wales) Act s16 asks councils to promote. */
export const SOCIAL_VALUE_PROVIDER_KINDS: readonly ProviderKind[] = [
  'cooperative',
  'social_enterprise',
  'user_led',
  'charity',
];
