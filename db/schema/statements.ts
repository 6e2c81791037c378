import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { LANGUAGES, STATEMENT_FORMATS, STATEMENT_KINDS } from '../../src/domain/vocabulary';
import { coops, tokens } from './tenancy';
import { oneOf } from './vocabulary-checks';

/**
 * The register of issued statements: each distinct document (what, for which period, in which format and language,
 * the SHA-256 of its exact bytes) and to whom it was issued, with the first and last time and how many times. A
 * repeated download counts again instead of adding a row, so a holder cannot grow the register without bound.
 * Rows are never deleted and only `last_issued_at`/`times_issued` move forward (migration 0011's trigger).
 * `coop_id` is null for an LA statement across every co-op the LA's holders belong to.
 */
export const statementRegister = pgTable(
  'statement_register',
  {
    id: uuid('id').primaryKey(),
    coopId: uuid('coop_id').references(() => coops.id),
    kind: text('kind', { enum: STATEMENT_KINDS }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    format: text('format', { enum: STATEMENT_FORMATS }).notNull(),
    language: text('language', { enum: LANGUAGES }).notNull(),
    sha256: text('sha256').notNull(),
    issuedByTokenId: uuid('issued_by_token_id')
      .notNull()
      .references(() => tokens.id),
    firstIssuedAt: timestamp('first_issued_at', { withTimezone: true }).notNull().defaultNow(),
    lastIssuedAt: timestamp('last_issued_at', { withTimezone: true }).notNull().defaultNow(),
    timesIssued: integer('times_issued').notNull().default(1),
  },
  (t) => [
    unique('statement_register_document_key')
      .on(t.coopId, t.kind, t.subjectId, t.periodFrom, t.periodTo, t.format, t.language, t.sha256, t.issuedByTokenId)
      .nullsNotDistinct(),
    index('statement_register_coop_idx').on(t.coopId, t.id),
    check('statement_register_kind_known', oneOf(t.kind, STATEMENT_KINDS)),
    check('statement_register_format_known', oneOf(t.format, STATEMENT_FORMATS)),
    check('statement_register_language_known', oneOf(t.language, LANGUAGES)),
    check('statement_register_times_positive', sql`${t.timesIssued} >= 1`),
    check('statement_register_last_after_first', sql`${t.lastIssuedAt} >= ${t.firstIssuedAt}`),
  ],
);
