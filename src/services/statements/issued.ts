import { and, asc, eq, gt } from 'drizzle-orm';
import { issuedStatements } from '../../../db/schema/index';
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
