import { EcbRatesError, isIsoDate, isPositiveDecimal, type EcbDay } from './ecb-day.js';

/**
 * ECB's euro reference rates files (eurofxref-daily.xml, eurofxref-hist-90d.xml,
 * eurofxref-hist.xml) share one small fixed shape:
 *
 *   <gesmes:Envelope ...> <gesmes:subject/> <gesmes:Sender>...</gesmes:Sender>
 *     <Cube> <Cube time='2026-11-30'> <Cube currency='USD' rate='1.0823'/> ... </Cube> ... </Cube>
 *   </gesmes:Envelope>
 *
 * It is read by hand, strictly: anything outside that shape is an error naming the line,
 * and a DOCTYPE (where entities would be declared) is refused, so nothing is ever expanded.
 */

/** A comment, a processing instruction, a declaration (<!...>) or a start/end tag with quoted attributes. */
const TOKEN = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<![^>]*>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:'[^'<]*'|"[^"<]*"))*)\s*(\/?)>/g;
const ATTRIBUTE = /([A-Za-z_][\w:.-]*)\s*=\s*(?:'([^']*)'|"([^"]*)")/g;
const ENVELOPE = 'gesmes:Envelope';

/** Parses eurofxref-daily.xml, eurofxref-hist-90d.xml and eurofxref-hist.xml (same shape). Sorted by date. */
export function parseEcbXml(text: string, origin: string): EcbDay[] {
  const fail = (index: number, problem: string): never => {
    throw new EcbRatesError(`${origin} is not an ECB reference rates file: line ${lineAt(text, index)}: ${problem}`);
  };
  const body = text.replace(/^\uFEFF/, '');
  const open: string[] = [];
  const days = new Map<string, EcbDay>();
  let day: EcbDay | null = null;
  let sawEnvelope = false;
  let position = 0;
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(body); match; match = TOKEN.exec(body)) {
    checkText(body.slice(position, match.index), position, open, fail);
    position = match.index + match[0].length;
    const [token, closing, tagName, attributeText = '', selfClosing] = match;
    const name = tagName ?? '';
    if (token.startsWith('<!--') || token.startsWith('<?')) continue;
    if (token.startsWith('<!')) fail(match.index, /^<!(DOCTYPE|ENTITY)/i.test(token) ? 'a DOCTYPE or ENTITY declaration is not allowed' : `unexpected ${JSON.stringify(token.slice(0, 20))}`);
    if (closing) {
      if (open.at(-1) !== name) fail(match.index, `</${name}> does not close ${open.length > 0 ? `<${open.at(-1)}>` : 'anything'}`);
      open.pop();
      if (name === 'Cube' && open.filter((element) => element === 'Cube').length === 1) day = null;
      continue;
    }
    if (open.length === 0) {
      if (name !== ENVELOPE || sawEnvelope) fail(match.index, `expected <${ENVELOPE}>, found <${name}>`);
      sawEnvelope = true;
    }
    if (open.at(-1) === 'Cube' && name !== 'Cube') fail(match.index, `unexpected <${name}> in <Cube>`);
    if (name === 'Cube' && open.at(-1) !== 'Cube' && open.at(-1) !== ENVELOPE) fail(match.index, '<Cube> outside the envelope');
    if (name === 'Cube') {
      const attributes = attributesOf(attributeText, match.index, fail);
      const level = open.filter((element) => element === 'Cube').length;
      if (level === 0) {
        if (attributes.size > 0) fail(match.index, 'the outer <Cube> has attributes');
      } else if (level === 1) {
        day = readDay(attributes, match.index, days, fail);
        days.set(day.date, day);
      } else if (level === 2 && day) {
        readRate(attributes, day, match.index, fail);
      } else {
        fail(match.index, '<Cube> nested too deep');
      }
    }
    if (!selfClosing) open.push(name);
    else if (name === 'Cube' && open.filter((element) => element === 'Cube').length === 1) day = null;
  }
  checkText(body.slice(position), position, open, fail);
  if (!sawEnvelope) fail(0, `no <${ENVELOPE}>`);
  if (open.length > 0) fail(body.length, `<${open.at(-1)}> is not closed`);
  if (days.size === 0) fail(body.length, 'no days of rates (<Cube time="...">)');
  for (const found of days.values()) {
    if (Object.keys(found.perEur).length === 0) fail(body.indexOf(found.date), `${found.date} has no rates`);
  }
  return [...days.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
}

type Fail = (index: number, problem: string) => never;

/** Between tags: names and subjects are text; inside the Cubes only white space is. A stray "<" is a broken tag. */
function checkText(text: string, index: number, open: readonly string[], fail: Fail): void {
  const stray = text.search(/[<>]/);
  if (stray >= 0) fail(index + stray, `malformed tag near ${JSON.stringify(text.slice(stray, stray + 30))}`);
  if (open.at(-1) === 'Cube' && text.trim() !== '') fail(index, `unexpected text ${JSON.stringify(text.trim().slice(0, 30))} in <Cube>`);
  if (open.length === 0 && text.trim() !== '') fail(index, `unexpected text ${JSON.stringify(text.trim().slice(0, 30))} outside <${ENVELOPE}>`);
}

function attributesOf(text: string, index: number, fail: Fail): Map<string, string> {
  const attributes = new Map<string, string>();
  ATTRIBUTE.lastIndex = 0;
  for (let match = ATTRIBUTE.exec(text); match; match = ATTRIBUTE.exec(text)) {
    const name = match[1] as string;
    if (attributes.has(name)) fail(index, `attribute ${name} given twice`);
    attributes.set(name, match[2] ?? match[3] ?? '');
  }
  return attributes;
}

function readDay(attributes: Map<string, string>, index: number, days: Map<string, EcbDay>, fail: Fail): EcbDay {
  const date = attributes.get('time');
  if (date === undefined || attributes.size !== 1) fail(index, 'a day <Cube> must have exactly one attribute, time');
  if (!isIsoDate(date as string)) fail(index, `bad date ${JSON.stringify(date)} (expected YYYY-MM-DD)`);
  if (days.has(date as string)) fail(index, `the date ${date} appears twice`);
  return { date: date as string, perEur: {} };
}

function readRate(attributes: Map<string, string>, day: EcbDay, index: number, fail: Fail): void {
  const currency = attributes.get('currency');
  const rate = attributes.get('rate');
  if (currency === undefined || rate === undefined || attributes.size !== 2) fail(index, `a rate <Cube> on ${day.date} must have exactly two attributes, currency and rate`);
  if (!/^[A-Z]{3}$/.test(currency as string) || currency === 'EUR') fail(index, `bad currency code ${JSON.stringify(currency)} on ${day.date} (three capital letters, not EUR)`);
  const code = (currency as string).toLowerCase();
  if (code in day.perEur) fail(index, `${currency} appears twice on ${day.date}`);
  if (!isPositiveDecimal(rate as string)) fail(index, `the rate ${JSON.stringify(rate)} of ${currency} on ${day.date} is not a positive decimal`);
  day.perEur[code] = rate as string;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

/**
 * Days in ECB's own XML shape, newest first as ECB lists them. The demo's rates file and
 * the test server are written with it. `comment` goes in an XML comment after the
 * declaration; `sender` replaces ECB's name where the rates are not ECB's.
 */
export function formatEcbXml(days: readonly EcbDay[], options: { comment?: string; sender?: string } = {}): string {
  const { comment, sender = 'European Central Bank' } = options;
  const newestFirst = [...days].sort((a, b) => (a.date < b.date ? 1 : -1));
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  if (comment) lines.push(`<!-- ${comment.replace(/--/g, '- -')} -->`);
  lines.push(
    '<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">',
    '\t<gesmes:subject>Reference rates</gesmes:subject>',
    '\t<gesmes:Sender>',
    `\t\t<gesmes:name>${sender}</gesmes:name>`,
    '\t</gesmes:Sender>',
    '\t<Cube>',
  );
  for (const day of newestFirst) {
    lines.push(`\t\t<Cube time='${day.date}'>`);
    for (const [code, rate] of Object.entries(day.perEur)) lines.push(`\t\t\t<Cube currency='${code.toUpperCase()}' rate='${rate}'/>`);
    lines.push('\t\t</Cube>');
  }
  lines.push('\t</Cube>', '</gesmes:Envelope>', '');
  return lines.join('\n');
}
