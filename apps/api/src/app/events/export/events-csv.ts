import { EVENT_CSV_COLUMNS, EventItem } from '@account-recovery/contracts';

/**
 * Cells a spreadsheet would run as a formula (OWASP "CSV injection"): a user agent or a
 * detail starting with `=`, `+`, `-`, `@`, a tab or a carriage return. Such a cell gets a
 * leading `'`, which spreadsheets show as text; a SIEM sees one extra character.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
/** RFC 4180: a field holding a quote, a comma or a line break is quoted. */
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One record, CRLF-terminated as RFC 4180 has it. */
function csvRecord(cells: (string | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A page of events as CSV: the header row, then one row per event (`details` as JSON). */
export function eventsToCsv(items: EventItem[]): string {
  const rows = items.map((item) =>
    csvRecord(
      EVENT_CSV_COLUMNS.map((column) =>
        column === 'details' ? JSON.stringify(item.details) : item[column],
      ),
    ),
  );
  return csvRecord([...EVENT_CSV_COLUMNS]) + rows.join('');
}

/**
 * Whether the caller asked for CSV: `text/csv` ranks above JSON in its Accept header (by q,
 * then by order). Anything else, a missing or malformed header included, gets JSON.
 */
export function prefersCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  let csv = { q: 0, at: Infinity };
  let json = { q: 0, at: Infinity };
  accept.split(',').forEach((range, at) => {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const qParam = params.find((param) => param.startsWith('q='));
    const parsed = qParam === undefined ? 1 : Number(qParam.slice(2));
    const q = Number.isFinite(parsed) && parsed >= 0 && parsed <= 1 ? parsed : 0;
    if (type === 'text/csv' && q > csv.q) csv = { q, at };
    const jsonLike = type === 'application/json' || type === 'application/*' || type === '*/*';
    if (jsonLike && q > json.q) json = { q, at };
  });
  return csv.q > 0 && (csv.q > json.q || (csv.q === json.q && csv.at < json.at));
}
