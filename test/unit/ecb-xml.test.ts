import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { dayOnOrBefore, EcbRatesError, type EcbDay } from '../../src/rates/ecb-day.js';
import { formatEcbXml, parseEcbXml } from '../../src/rates/ecb-xml.js';

/** ECB's eurofxref-daily.xml as ECB writes it (single quotes, tabs), shortened to three currencies. */
const DAILY = `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
\t<gesmes:subject>Reference rates</gesmes:subject>
\t<gesmes:Sender>
\t\t<gesmes:name>European Central Bank</gesmes:name>
\t</gesmes:Sender>
\t<Cube>
\t\t<Cube time='2026-11-27'>
\t\t\t<Cube currency='USD' rate='1.0823'/>
\t\t\t<Cube currency='JPY' rate='162.35'/>
\t\t\t<Cube currency='GBP' rate='0.83415'/>
\t\t</Cube>
\t</Cube>
</gesmes:Envelope>
`;

/** eurofxref-hist.xml's shape: many days, newest first; here with double quotes and a comment. */
const HIST = `<?xml version="1.0" encoding="UTF-8"?>
<!-- a mirror's note -->
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
<gesmes:subject>Reference rates</gesmes:subject>
<gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
<Cube>
<Cube time="2026-12-31"><Cube currency="USD" rate="1.0950"/></Cube>
<Cube time="2026-12-24"><Cube currency="USD" rate="1.0900"/></Cube>
<Cube time="2026-12-23"><Cube currency="USD" rate="1.0880"/></Cube>
</Cube>
</gesmes:Envelope>`;

const day = (date: string, usd: string): EcbDay => ({ date, perEur: { usd } });

function problemOf(text: string): string {
  try {
    parseEcbXml(text, 'https://mirror.example/eurofxref-daily.xml');
  } catch (error) {
    expect(error).toBeInstanceOf(EcbRatesError);
    expect((error as EcbRatesError).exitCode).toBe(ExitCode.DataSourceFailed);
    return (error as Error).message;
  }
  throw new Error('parsed');
}

describe('parseEcbXml', () => {
  it('reads the daily file: lower-case codes, rates exactly as printed', () => {
    expect(parseEcbXml(DAILY, 'daily')).toEqual([{ date: '2026-11-27', perEur: { usd: '1.0823', jpy: '162.35', gbp: '0.83415' } }]);
  });

  it('reads the history shape (double quotes, comments) and sorts oldest first', () => {
    expect(parseEcbXml(HIST, 'hist').map((found) => [found.date, found.perEur.usd])).toEqual([
      ['2026-12-23', '1.0880'],
      ['2026-12-24', '1.0900'],
      ['2026-12-31', '1.0950'],
    ]);
  });

  it('reads back what formatEcbXml writes', () => {
    const days = [day('2026-09-01', '1.0712'), { date: '2026-09-02', perEur: { usd: '1.0734', jpy: '158.21' } }];
    expect(parseEcbXml(formatEcbXml(days, { comment: 'illustrative -- not ECB data', sender: 'kpi demo' }), 'demo')).toEqual(days);
  });

  it.each([
    ['no days', DAILY.replace(/\t\t<Cube time[\s\S]*?\t\t<\/Cube>\n/, ''), 'no days of rates (<Cube time="...">)'],
    ['a bad date', DAILY.replace('2026-11-27', '2026-02-30'), 'line 8: bad date "2026-02-30"'],
    ['a duplicate date', HIST.replace('2026-12-24', '2026-12-31'), 'line 8: the date 2026-12-31 appears twice'],
    ['a bad currency code', DAILY.replace("'JPY'", "'jpy'"), 'line 10: bad currency code "jpy" on 2026-11-27'],
    ['EUR quoted against itself', DAILY.replace("'JPY'", "'EUR'"), 'bad currency code "EUR"'],
    ['a negative rate', DAILY.replace("'1.0823'", "'-1.0823'"), 'the rate "-1.0823" of USD on 2026-11-27 is not a positive decimal'],
    ['a zero rate', DAILY.replace("'1.0823'", "'0.0000'"), 'the rate "0.0000" of USD'],
    ['a rate in exponent form', DAILY.replace("'1.0823'", "'1e3'"), 'the rate "1e3" of USD'],
    ['a currency twice on a day', DAILY.replace("'JPY'", "'USD'"), 'USD appears twice on 2026-11-27'],
    ['a DOCTYPE', DAILY.replace('<gesmes:Envelope', '<!DOCTYPE x [<!ENTITY a "b">]>\n<gesmes:Envelope'), 'line 2: a DOCTYPE or ENTITY declaration is not allowed'],
    ['an HTML error page', '<html><body>Service unavailable</body></html>', 'line 1: expected <gesmes:Envelope>, found <html>'],
    ['a file cut short', DAILY.slice(0, DAILY.indexOf("rate='162")), "line 10: malformed tag near \"<Cube currency='JPY' \""],
    ['an unclosed element', DAILY.replace('</gesmes:Envelope>', ''), '<gesmes:Envelope> is not closed'],
    ['text among the rates', DAILY.replace("<Cube currency='JPY'", "1.2<Cube currency='JPY'"), 'unexpected text "1.2" in <Cube>'],
    ['a day without rates', HIST.replace('<Cube currency="USD" rate="1.0900"/>', ''), '2026-12-24 has no rates'],
  ])('rejects %s, naming the origin and the line', (_case, text, problem) => {
    const message = problemOf(text);
    expect(message).toContain('https://mirror.example/eurofxref-daily.xml is not an ECB reference rates file');
    expect(message).toContain(problem);
  });
});

describe('dayOnOrBefore', () => {
  // 2026-12-24 is a Thursday; 25 and 26 December are TARGET holidays, 27 a Sunday; 2027-01-01 a holiday (Friday).
  const days = [day('2026-12-23', '1.0880'), day('2026-12-24', '1.0900'), day('2026-12-28', '1.0910'), day('2026-12-31', '1.0950'), day('2027-01-04', '1.0970')];

  it('a business day is its own', () => {
    expect(dayOnOrBefore(days, '2026-12-28')?.perEur.usd).toBe('1.0910');
  });

  it('Christmas, Boxing Day and the Sunday after take Thursday 24 December', () => {
    expect(['2026-12-25', '2026-12-26', '2026-12-27'].map((date) => dayOnOrBefore(days, date)?.date)).toEqual(['2026-12-24', '2026-12-24', '2026-12-24']);
  });

  it('New Year and the weekend after take 31 December', () => {
    expect(['2027-01-01', '2027-01-02', '2027-01-03'].map((date) => dayOnOrBefore(days, date)?.date)).toEqual(['2026-12-31', '2026-12-31', '2026-12-31']);
  });

  it('is null before the first day, and does not need sorted input', () => {
    expect(dayOnOrBefore(days, '2026-12-22')).toBeNull();
    expect(dayOnOrBefore([...days].reverse(), '2026-12-30')?.date).toBe('2026-12-28');
  });
});
