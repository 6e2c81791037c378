import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { statementRegister } from '../../../db/schema/index';
import { newId } from '../../db/ids';
import type { Language, StatementFormat, StatementKind } from '../../domain/vocabulary';
import type { UseCaseContext } from '../context';
import { type PageRequest, keyset } from '../pagination';

export type { StatementFormat } from '../../domain/vocabulary';

/**
 * The register of issued statements of a co-op: each distinct document sent (what, for which period, format,
 * language, SHA-256), to whom, the first and last time, and how many times.
 */
export async function listIssuedStatements({ database }: UseCaseContext, coopId: string, page: PageRequest) {
  const keys = keyset(statementRegister.id, page);
  const rows = await database.read((db) =>
    db
      .select()
      .from(statementRegister)
      .where(and(eq(statementRegister.coopId, coopId), keys.after))
      .orderBy(keys.orderBy)
      .limit(keys.limit),
  );
  return keys.page(rows, (r) => ({
    id: r.id,
    kind: r.kind,
    subjectId: r.subjectId,
    from: r.periodFrom,
    to: r.periodTo,
    format: r.format,
    language: r.language,
    sha256: r.sha256,
    issuedByTokenId: r.issuedByTokenId,
    issuedAt: r.firstIssuedAt.toISOString(),
    lastIssuedAt: r.lastIssuedAt.toISOString(),
    timesIssued: r.timesIssued,
  }));
}

export interface IssuedDocument {
  bytes: Buffer;
  sha256: string;
  format: StatementFormat;
}

export interface IssuedStatement {
  /** Null for an LA statement across every co-op the LA's holders belong to. */
  coopId: string | null;
  kind: StatementKind;
  subjectId: string;
  from: string;
  to: string;
  format: StatementFormat;
  language: Language;
}

/**
 * Records a statement about to be sent (who, what, period, format, language, SHA-256 of its exact bytes): a new
 * document gets a row, the same document to the same caller again counts on its row, so downloads cannot grow the
 * register without bound. `record: false` (a HEAD request) computes the document and its hash but issues nothing.
 */
export async function recordIssued(
  context: UseCaseContext,
  issued: IssuedStatement,
  bytes: Buffer,
  options: { record: boolean } = { record: true },
): Promise<IssuedDocument> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (!options.record) return { bytes, sha256, format: issued.format };
  await context.database.autocommit((db) =>
    db
      .insert(statementRegister)
      .values({
        id: newId(),
        coopId: issued.coopId,
        kind: issued.kind,
        subjectId: issued.subjectId,
        periodFrom: issued.from,
        periodTo: issued.to,
        format: issued.format,
        language: issued.language,
        sha256,
        issuedByTokenId: context.principal.tokenId,
      })
      .onConflictDoUpdate({
        target: [
          statementRegister.coopId,
          statementRegister.kind,
          statementRegister.subjectId,
          statementRegister.periodFrom,
          statementRegister.periodTo,
          statementRegister.format,
          statementRegister.language,
          statementRegister.sha256,
          statementRegister.issuedByTokenId,
        ],
        set: {
          lastIssuedAt: sql`greatest(now(), ${statementRegister.lastIssuedAt})`,
          timesIssued: sql`${statementRegister.timesIssued} + 1`,
        },
      }),
  );
  return { bytes, sha256, format: issued.format };
}
