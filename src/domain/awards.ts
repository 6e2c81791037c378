import { invalidInput } from './errors';
import { periodClosed } from './reconciliation/periods';

/**
 * A holder's Direct Payment awards are dated history: each applies from a date until a date (or until the next
 * change), and they never overlap. Recording a change never rewrites a closed period: an award that was in force
 * before the change is ended the day before it; an award recorded for dates from the change on (a correction, or a
 * change planned ahead) is marked replaced, and stays in the history.
 */
export interface AwardSpan {
  id: string;
  startsOn: string;
  endsOn: string | null;
}

export interface AwardChangePlan {
  /** Awards in force before the new one starts: they now end the day before it. */
  endings: { id: string; endsOn: string }[];
  /** Awards recorded for dates the new one covers from their start: replaced by it. */
  replaced: string[];
}

/**
 * What recording an award from `startsOn` (until `endsOn`, or open-ended) does to the holder's live awards.
 * Raises `period-closed` when the change would reach into a closed period, `unprocessable` for an end before the start.
 */
export function planAwardChange(
  live: readonly AwardSpan[],
  change: { startsOn: string; endsOn: string | null },
  closedThrough: string | null,
): AwardChangePlan {
  if (change.endsOn !== null && change.endsOn < change.startsOn) {
    throw invalidInput({ field: 'endsOn', message: 'must not be before startsOn' }, 'The award ends before it starts.');
  }
  if (closedThrough !== null && change.startsOn <= closedThrough) throw periodClosed(closedThrough);
  const plan: AwardChangePlan = { endings: [], replaced: [] };
  for (const award of live) {
    if (!overlaps(award, change)) continue;
    if (award.startsOn < change.startsOn) plan.endings.push({ id: award.id, endsOn: dayBefore(change.startsOn) });
    else plan.replaced.push(award.id);
  }
  return plan;
}

/** The award in force on a date, if any (live awards never overlap, so there is at most one). */
export function awardInForceOn<T extends AwardSpan>(live: readonly T[], date: string): T | null {
  return live.find((a) => a.startsOn <= date && (a.endsOn === null || a.endsOn >= date)) ?? null;
}

function overlaps(a: { startsOn: string; endsOn: string | null }, b: { startsOn: string; endsOn: string | null }) {
  return (a.endsOn === null || a.endsOn >= b.startsOn) && (b.endsOn === null || b.endsOn >= a.startsOn);
}

export function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
