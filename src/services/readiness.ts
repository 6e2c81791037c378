import type { UseCaseDependencies } from './context';

/** Throws unless the database answers and every migration is applied: the service can take requests. */
export async function checkReadiness({ database }: Pick<UseCaseDependencies, 'database'>): Promise<void> {
  await database.checkReady();
}
