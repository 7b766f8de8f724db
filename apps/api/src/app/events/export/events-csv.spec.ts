import { EventItem } from '@account-recovery/contracts';

import { csvCell, eventsToCsv, prefersCsv } from './events-csv';

describe('events CSV', () => {
  describe('csvCell', () => {
    it.each([
      ['plain', 'plain'],
      ['', ''],
      ['a,b', '"a,b"'],
      ['say "hi"', '"say ""hi"""'],
      ['two\r\nlines', '"two\r\nlines"'],
      ['line\nfeed', '"line\nfeed"'],
      ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
      ['+1+1', "'+1+1"],
      ['-2+3', "'-2+3"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\tcmd', "'\tcmd"],
      ['\rcmd', `"'\rcmd"`],
      ['a=b', 'a=b'],
      ['Mozilla/5.0 (X11; Linux)', 'Mozilla/5.0 (X11; Linux)'],
    ])('should write %j as %j', (value, cell) => {
      expect(csvCell(value)).toBe(cell);
    });

    it('should leave null empty', () => {
      expect(csvCell(null)).toBe('');
    });
  });

  it('should write a header row and one CRLF-terminated row per event', () => {
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
      'id,type,occurredAt,userId,actor,ip,userAgent,details\r\n' +
        `7,reset.failed,2026-12-06T05:00:00.000Z,,self,203.0.113.7,"'=cmd|"" /C calc""!A0","{""code"":""TOKEN_EXPIRED""}"\r\n`,
    );
    expect(eventsToCsv([])).toBe('id,type,occurredAt,userId,actor,ip,userAgent,details\r\n');
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
