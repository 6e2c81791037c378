/** Calendar dates are `YYYY-MM-DD` strings in the co-op's time zone (Europe/London); timestamps are UTC. */
const LONDON_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export function londonDateOf(instant: Date): string {
  return LONDON_DATE.format(instant);
}

export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  // JavaScript counts a year 0; PostgreSQL's dates (and the calendar) go from 1 BC to AD 1 and refuse it.
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text && parsed.getUTCFullYear() >= 1;
}
