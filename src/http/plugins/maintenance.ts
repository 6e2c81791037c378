import type { FastifyInstance } from 'fastify';
import type { UseCaseDependencies } from '../../services/context';
import { errorSummary } from './problem-details';
import { pruneIdempotencyKeys } from '../../services/idempotency';

const MAINTENANCE_INTERVAL_MS = 60 * 60_000;

/**
 * Housekeeping while the service runs: once soon after start and then hourly, Idempotency-Keys past their retention
 * are pruned. A failure is logged and tried again next time; it never stops the service.
 */
export function registerMaintenance(
  app: FastifyInstance,
  { database }: Pick<UseCaseDependencies, 'database'>,
  idempotencyKeyDays: number,
): void {
  let timer: NodeJS.Timeout | null = null;
  const run = async () => {
    try {
      const pruned = await pruneIdempotencyKeys(database, idempotencyKeyDays);
      if (pruned > 0) app.log.info({ pruned }, 'idempotency keys pruned');
    } catch (error) {
      app.log.warn({ error: errorSummary(error) }, 'idempotency key pruning failed');
    }
  };
  app.addHook('onReady', async () => {
    timer = setInterval(() => void run(), MAINTENANCE_INTERVAL_MS);
    timer.unref();
    setImmediate(() => void run());
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
  });
}
