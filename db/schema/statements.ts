import { date, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { coops } from './tenancy';

/** Every statement Cronfa issues: who asked, for what, and the SHA-256 of the exact bytes sent. Append-only. */
export const issuedStatements = pgTable(
  'issued_statements',
  {
    id: uuid('id').primaryKey(),
    coopId: uuid('coop_id')
      .notNull()
      .references(() => coops.id),
    kind: text('kind').notNull(),
    subjectId: uuid('subject_id').notNull(),
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    format: text('format').notNull(),
    language: text('language').notNull(),
    sha256: text('sha256').notNull(),
    issuedByTokenId: uuid('issued_by_token_id').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('issued_statements_coop_subject_idx').on(t.coopId, t.subjectId, t.issuedAt)],
);
