import { EVENT_CSV_COLUMNS, EventItem } from '@account-recovery/contracts';

/**
 * Cells a spreadsheet would run as a formula (OWASP "CSV injection"): a user agent or a
 * detail starting with `=`, `+`, `-`, `@`, a tab or a carriage return. Such a cell gets a
 * leading `'`, which spreadsheets show as text; a SIEM sees one extra character.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Every field is quoted (RFC 4180 allows it; quotes inside doubled), not only those holding
 * a quote, a comma or a line break. A spreadsheet in a locale whose list separator is `;`
 * (de, fr...) splits a file on `;`: an unquoted `x;-2+3+cmd|' /C calc'!A0` became two
 * cells there, the second one a formula that the `'` at the start of the field did not
 * guard. Quoted, a field's content sits between quotes whatever separator the importer
 * splits on (Excel, LibreOffice and Google Sheets all honour the quotes), and OWASP's advice
 * is the same: quote every cell. Quoting only fields that hold a `;` would have done for
 * that separator, but not for the next one an importer guesses (a tab, a `|`). The cost is
 * two bytes a field. `null` stays an empty, unquoted field.
 */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
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
