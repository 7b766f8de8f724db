import { EventItem } from '@account-recovery/contracts';

import fc from 'fast-check';

import { csvCell, eventsToCsv, prefersCsv } from './events-csv';

/** What a spreadsheet runs as a formula when a cell starts with it. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Splits `text` on `separator` as a spreadsheet that honours quotes does (a quote opens or
 * closes a quoted run, a doubled quote inside one is a quote), and gives each cell as the
 * spreadsheet would see it: unquoted. `;` is how Excel reads a .csv in a de or fr locale.
 */
function cellsAsSplitBy(text: string, separator: ',' | ';'): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let at = 0; at < text.length; at += 1) {
    const char = text[at];
    if (char === '"') {
      if (quoted && text[at + 1] === '"') {
        cell += '"';
        at += 1;
      } else quoted = !quoted;
    } else if (char === separator && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  return [...cells, cell];
}

/** What the value of a field reads back as: with the formula guard when it needs one. */
const guarded = (value: string) => (FORMULA_START.test(value) ? `'${value}` : value);

/** Text full of separators, quotes and formula characters. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom(';', ',', '"', "'", '=', '+', '-', '@', '\t', '\r', '\n', '|', '!'),
    fc.string({ minLength: 1, maxLength: 1 }),
    fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }),
  ),
});
const separator = fc.constantFrom<',' | ';'>(',', ';');

describe('events CSV', () => {
  describe('csvCell', () => {
    it.each([
      ['plain', '"plain"'],
      ['', '""'],
      ['a,b', '"a,b"'],
      ['say "hi"', '"say ""hi"""'],
      ['two\r\nlines', '"two\r\nlines"'],
      ['line\nfeed', '"line\nfeed"'],
      ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
      ['+1+1', `"'+1+1"`],
      ['-2+3', `"'-2+3"`],
      ['@SUM(A1)', `"'@SUM(A1)"`],
      ['\tcmd', `"'\tcmd"`],
      ['\rcmd', `"'\rcmd"`],
      ['a=b', '"a=b"'],
      ['Mozilla/5.0 (X11; Linux)', '"Mozilla/5.0 (X11; Linux)"'],
      // The review's case: a `;` spreadsheet split it there, and `-2+3…` ran as a formula.
      ["x;-2+3+cmd|' /C calc'!A0", `"x;-2+3+cmd|' /C calc'!A0"`],
      ['x,=1+1', '"x,=1+1"'],
    ])('should write %j as %j', (value, cell) => {
      expect(csvCell(value)).toBe(cell);
    });

    it('should leave null empty', () => {
      expect(csvCell(null)).toBe('');
    });

    it('should be one cell on `;` or `,` (honouring quotes), never a formula (property)', () => {
      fc.assert(
        fc.property(hostile, separator, (value, by) => {
          const cells = cellsAsSplitBy(csvCell(value), by);
          expect(cells).toEqual([guarded(value)]);
          expect(FORMULA_START.test(cells[0])).toBe(false);
        }),
        { numRuns: 3000 },
      );
    });

    it('should give a naive split no formula piece outside the quotes (property)', () => {
      fc.assert(
        fc.property(hostile, separator, (value, by) => {
          const field = csvCell(value);
          const pieces = field.split(by);
          // The first piece opens the quote, and what follows it is guarded.
          expect(pieces[0].startsWith('"')).toBe(true);
          expect(FORMULA_START.test(pieces[0].slice(1))).toBe(false);
          // Every later piece starts inside the quoted field: an importer that honours
          // quotes never starts a cell there.
          let at = pieces[0].length;
          for (const piece of pieces.slice(1)) {
            const quotesBefore = field.slice(0, at).split('"').length - 1;
            expect(quotesBefore % 2).toBe(1);
            at += by.length + piece.length;
          }
        }),
        { numRuns: 3000 },
      );
    });

    it('should keep every cell of a row apart, and no cell a formula, on either separator (property)', () => {
      fc.assert(
        fc.property(fc.array(fc.option(hostile), { minLength: 1, maxLength: 8 }), (values) => {
          const row = values.map(csvCell).join(',');
          const byComma = cellsAsSplitBy(row, ',');
          expect(byComma).toEqual(values.map((value) => (value === null ? '' : guarded(value))));
          // Read with `;`, no separator is outside the quotes: the row is one cell.
          const bySemicolon = cellsAsSplitBy(row, ';');
          expect(bySemicolon).toHaveLength(1);
          for (const cell of [...byComma, ...bySemicolon])
            expect(FORMULA_START.test(cell)).toBe(false);
        }),
        { numRuns: 1000 },
      );
    });
  });

  const HEADER = '"id","type","occurredAt","userId","actor","ip","userAgent","details"\r\n';

  it('should write a header row and one CRLF-terminated row per event, every field quoted', () => {
    const item: EventItem = {
      id: '7',
      type: 'reset.failed',
      occurredAt: '2026-12-06T05:00:00.000Z',
      userId: null,
      actor: 'self',
      ip: '203.0.113.7',
      userAgent: '=cmd|" /C calc"!A0',
      details: { code: 'TOKEN_EXPIRED' },
    };
    expect(eventsToCsv([item])).toBe(
      HEADER +
        `"7","reset.failed","2026-12-06T05:00:00.000Z",,"self","203.0.113.7","'=cmd|"" /C calc""!A0","{""code"":""TOKEN_EXPIRED""}"\r\n`,
    );
    expect(eventsToCsv([])).toBe(HEADER);
  });

  describe('prefersCsv', () => {
    it.each([
      [undefined, false],
      ['', false],
      ['*/*', false],
      ['application/json', false],
      ['text/csv', true],
      ['TEXT/CSV; charset=utf-8', true],
      ['text/csv, application/json', true],
      ['application/json, text/csv', false],
      ['application/json;q=0.5, text/csv', true],
      ['text/csv;q=0.5, */*', false],
      ['text/csv;q=0', false],
      ['text/csv;q=abc', false],
      ['text/csv;q=2', false],
      [',,;;,', false],
    ])('should answer %j with CSV: %s', (accept, csv) => {
      expect(prefersCsv(accept)).toBe(csv);
    });
  });
});
