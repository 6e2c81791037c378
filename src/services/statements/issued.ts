import { createHash } from 'node:crypto';
import { and, asc, eq, gt } from 'drizzle-orm';
import { issuedStatements } from '../../../db/schema/index';
import { newId } from '../../db/ids';
import type { UseCaseContext } from '../context';
import { type PageRequest, pageOf } from '../pagination';

/** The register of issued statements of a co-op: who was sent what, for which period, with which hash. */
export async function listIssuedStatements({ database }: UseCaseContext, coopId: string, page: PageRequest) {
  const rows = await database.read((db) =>
    db
      .select()
      .from(issuedStatements)
      .where(and(eq(issuedStatements.coopId, coopId), page.afterId ? gt(issuedStatements.id, page.afterId) : undefined))
      .orderBy(asc(issuedStatements.id))
      .limit(page.limit + 1),
  );
  return pageOf(rows, page.limit, (r) => ({
    id: r.id,
    kind: r.kind,
    subjectId: r.subjectId,
    from: r.periodFrom,
    to: r.periodTo,
    format: r.format,
    language: r.language,
    sha256: r.sha256,
    issuedByTokenId: r.issuedByTokenId,
    issuedAt: r.issuedAt.toISOString(),
  }));
}

export type StatementFormat = 'json' | 'csv' | 'pdf';

export interface IssuedDocument {
  bytes: Buffer;
  sha256: string;
  format: StatementFormat;
}

/**
 * Records a statement about to be sent (who, what, period, format, language, SHA-256 of its exact bytes). `record:
 * false` (a HEAD request) computes the document and its hash but issues nothing. `coopId` is null for an LA
 * statement across every co-op the LA's holders belong to.
 */
export async function recordIssued(
  context: UseCaseContext,
  issued: {
    coopId: string | null;
    kind: 'holder' | 'pool' | 'local_authority';
    subjectId: string;
    from: string;
    to: string;
    format: StatementFormat;
    language: string;
  },
  bytes: Buffer,
  options: { record: boolean } = { record: true },
): Promise<IssuedDocument> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (!options.record) return { bytes, sha256, format: issued.format };
  if (issued.coopId === null) throw new Error('the register of statements across co-ops is not built yet');
  const coopId = issued.coopId;
  await context.database.autocommit((db) =>
    db.insert(issuedStatements).values({
      id: newId(),
      coopId,
      kind: issued.kind,
      subjectId: issued.subjectId,
      periodFrom: issued.from,
      periodTo: issued.to,
      format: issued.format,
      language: issued.language,
      sha256,
      issuedByTokenId: context.principal.tokenId,
    }),
  );
  return { bytes, sha256, format: issued.format };
}
