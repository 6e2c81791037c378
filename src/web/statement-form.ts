import type { FastifyReply, FastifyRequest } from 'fastify';
import { contentDisposition } from '../domain/statements/file-name';
import { firstDayMonthsBack } from '../domain/statements/monthly-totals';
import type { Language } from '../domain/vocabulary';
import type { StatementDownload } from '../services/statements/period';
import { type DateFields, dateFieldsFrom, dateFieldsOf } from './date-fields';
import { type Fields, queryOf } from './form-input';
import { isLanguage, translate } from './i18n';
import { type FieldError, renderPage } from './render';

export type DownloadFormat = 'pdf' | 'csv';

/** What the statement form holds: as typed (to show again with its errors) and, when valid, the request. */
export interface StatementForm {
  from: DateFields;
  to: DateFields;
  format: DownloadFormat;
  statementLanguage: Language;
  errors: FieldError[];
}

/** The form as first shown: the last three whole months and this one, in the page's language, as a PDF. */
export function blankStatementForm(today: string, language: Language): StatementForm {
  return {
    from: dateFieldsFrom(firstDayMonthsBack(today, 4)),
    to: dateFieldsFrom(today),
    format: 'pdf',
    statementLanguage: language,
    errors: [],
  };
}

/** Reads the statement form (a GET, so a download is a link that can be bookmarked) and says what is wrong. */
export function readStatementForm(query: Fields, today: string, language: Language): StatementForm {
  const from = dateFieldsOf(query, 'from');
  const to = dateFieldsOf(query, 'to');
  const format: DownloadFormat = query('format') === 'csv' ? 'csv' : 'pdf';
  const asked = query('statementLanguage');
  const statementLanguage = isLanguage(asked) ? asked : language;
  const errors: FieldError[] = [];
  const dateError = (fields: DateFields, id: string, missing: string, bad: string) => {
    if (fields.iso) return;
    const empty = !fields.day && !fields.month && !fields.year;
    errors.push({ id, text: translate(language, `statements.${empty ? missing : bad}`) });
  };
  dateError(from, 'from-day', 'missingFrom', 'badFrom');
  dateError(to, 'to-day', 'missingTo', 'badTo');
  if (from.iso && to.iso && (to.iso < from.iso || to.iso > today)) {
    errors.push({ id: 'to-day', text: translate(language, 'statements.badPeriod') });
  }
  return { from, to, format, statementLanguage, errors };
}

function sendDownload(reply: FastifyReply, issued: StatementDownload) {
  return reply
    .type(issued.format === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-statement-sha256', issued.sha256)
    .header('content-disposition', contentDisposition(issued.fileName))
    .send(issued.bytes);
}

const wantsDownload = (request: FastifyRequest) => queryOf(request)('download') === '1';

/** A statement request as the form asked for it: the period, the format and the statement's language. */
export interface StatementAsked {
  from: string;
  to: string;
  format: DownloadFormat;
  language: Language;
}

/**
 * A page with a statement form: shown blank; read when submitted (a GET with `download=1`), and then either the
 * statement downloads (issued by `issue`, so the register records it) or the page shows again with its errors.
 */
export async function statementFormPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: { template: string; title: string; action: string; today: string; data?: Record<string, unknown> },
  issue: (asked: StatementAsked) => Promise<StatementDownload>,
) {
  const form = wantsDownload(request)
    ? readStatementForm(queryOf(request), page.today, request.language)
    : blankStatementForm(page.today, request.language);
  if (wantsDownload(request) && form.errors.length === 0 && form.from.iso && form.to.iso) {
    const asked = { from: form.from.iso, to: form.to.iso, format: form.format, language: form.statementLanguage };
    return sendDownload(reply, await issue(asked));
  }
  return renderPage(
    request,
    reply,
    page.template,
    { ...page.data, title: page.title, form, errors: form.errors, action: page.action },
    form.errors.length ? 400 : 200,
  );
}
