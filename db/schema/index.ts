export * from './tenancy';
export * from './pools';
export * from './ledger';
export * from './purchasing';
export * from './statements';
export * from './reconciliation';
export * from './people';
