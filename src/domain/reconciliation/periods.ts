import { DomainError } from '../errors';

/** The refusal for any change dated on or before the close: a closed period is final. */
export function periodClosed(closedThrough: string): DomainError {
  return new DomainError(
    'period-closed',
    `The books are closed through ${closedThrough}: nothing dated on or before it can be posted, reversed or matched.`,
    { closedThrough },
  );
}
