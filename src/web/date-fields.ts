import { isCalendarDate } from '../domain/dates';
import type { Fields } from './form-input';

/** A GOV.UK date input's three fields (`{name}-day`, `-month`, `-year`) as typed, and the date they make, if real. */
export interface DateFields {
  day: string;
  month: string;
  year: string;
  iso: string | null;
}

export function dateFieldsOf(fields: Fields, name: string): DateFields {
  const field = (part: string) => fields(`${name}-${part}`).trim();
  const day = field('day');
  const month = field('month');
  const year = field('year');
  const iso =
    /^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year)
      ? `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`
      : null;
  return { day, month, year, iso: iso && isCalendarDate(iso) ? iso : null };
}

export function dateFieldsFrom(iso: string): DateFields {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year, iso };
}
