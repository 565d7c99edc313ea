import { describe, expect, it } from 'vitest';
import type { KpiResult } from '../../src/app/kpi-report.js';
import { run } from '../../src/cli/main.js';
import { notifier } from '../../src/cli/output.js';
import type { CliContext } from '../../src/cli/context.js';
import { renderKpiReportMarkdown, renderKpiReportTable } from '../../src/render/kpi-report.js';
import { markdownText } from '../../src/render/markdown-text.js';
import { renderLint } from '../../src/render/okr.js';
import { renderMovementsTable } from '../../src/render/movements.js';
import { renderWeeklyArrTable } from '../../src/render/weekly-arr.js';
import type { MovementsReport } from '../../src/app/mrr-movements.js';
import type { WeeklyArrSeries } from '../../src/app/weekly-arr.js';
import { messagesTo } from '../../src/terminal/messages.js';
import { terminalSafe, terminalSafeCopy, terminalSafeMessage } from '../../src/terminal/safe-text.js';
import { makePalette } from '../../src/terminal/terminal.js';

/** Collects what is written, like a stream. */
function sink() {
  let text = '';
  return { write: (chunk: string) => ((text += chunk), true), get text() { return text; } };
}

/** The CLI in this process, its streams collected. */
async function runCli(args: string[]) {
  const stdout = sink();
  const stderr = sink();
  const context = { stdout, stderr, env: {}, cwd: '/nonexistent-kpi-dir', now: () => new Date('2026-11-16T00:00:00Z') } as unknown as CliContext;
  const code = await run(['node', 'kpi', ...args], context);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('terminalSafe', () => {
  it('shows C0, DEL, C1 and bidi controls as visible escapes, line feeds included', () => {
    expect(terminalSafe('a\x1b]0;title\x07b')).toBe(String.raw`a\x1b]0;title\x07b`);
    expect(terminalSafe('a\r\tb\nc')).toBe(String.raw`a\r\tb\nc`);
    expect(terminalSafe('\x00\x7f\x9b\u0085')).toBe(String.raw`\x00\x7f\x9b\x85`);
    // Right-to-left override, isolates, line and paragraph separators.
    expect(terminalSafe('exe.\u202egnp \u2066x\u2069 \u2028\u2029')).toBe(String.raw`exe.\u202egnp \u2066x\u2069 \u2028\u2029`);
  });

  it('shows the invisible characters that make two names look alike, but keeps the joiners emoji need', () => {
    // Zero-width space, soft hyphen, byte order mark, word joiner, left-to-right and Arabic marks.
    expect(terminalSafe('Pro\u200b Plan\u00ad\ufeff\u2060\u200e\u061c')).toBe(String.raw`Pro\u200b Plan\xad\ufeff\u2060\u200e\u061c`);
    // A family emoji is joined by U+200D: it stays whole.
    expect(terminalSafe('team \u{1F468}\u200d\u{1F469}')).toBe('team \u{1F468}\u200d\u{1F469}');
  });

  it('leaves printable text alone: accents, dashes, emoji, backslashes', () => {
    const text = 'Café – Pro ✔ 🚀 C:\\data\\x.csv 50 %';
    expect(terminalSafe(text)).toBe(text);
  });
});

describe('terminalSafeMessage', () => {
  it('keeps our own line breaks but indents every following line, so outside text cannot pose as a kpi line', () => {
    expect(terminalSafeMessage('config file x is invalid:\n  tiers: bad')).toBe('config file x is invalid:\n  tiers: bad');
    expect(terminalSafeMessage('product "A\nkpi: error: fake\x1b[2J"')).toBe(String.raw`product "A` + '\n  ' + String.raw`kpi: error: fake\x1b[2J"`);
    expect(terminalSafeMessage('tab\there\rcr')).toBe(String.raw`tab\there\rcr`);
  });
});

describe('terminalSafeCopy', () => {
  it('escapes every string and key, and keeps numbers, bigints, dates and class instances', () => {
    const date = new Date('2026-11-16T00:00:00Z');
    class Amount {
      constructor(readonly text: string) {}
    }
    const amount = new Amount('\x1b');
    const model = { name: 'a\tb', list: ['\r', 1, 2n, null], byCurrency: { 'u\x1bsd': 5n }, at: date, amount, flag: true };
    const copy = terminalSafeCopy(model);
    expect(copy).toEqual({ name: String.raw`a\tb`, list: [String.raw`\r`, 1, 2n, null], byCurrency: { [String.raw`u\x1bsd`]: 5n }, at: date, amount, flag: true });
    expect(copy.at).toBe(date);
    // The original is untouched: JSON and CSV render from it.
    expect(model.name).toBe('a\tb');
  });

  it('keeps an outside key named __proto__ as a key, and survives shared and cyclic objects', () => {
    const withProto = JSON.parse('{"__proto__": "\\u001b"}') as Record<string, unknown>;
    const copied = terminalSafeCopy(withProto);
    expect(Object.getPrototypeOf(copied)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(copied, '__proto__')?.value).toBe(String.raw`\x1b`);
    const shared = { text: '\x07' };
    const cyclic: { self?: unknown; a: unknown; b: unknown } = { a: shared, b: shared };
    cyclic.self = cyclic;
    const copy = terminalSafeCopy(cyclic);
    expect(copy.a).toBe(copy.b);
    expect(copy.self).toBe(copy);
    expect(copy.a).toEqual({ text: String.raw`\x07` });
  });
});

describe('messages on stderr', () => {
  it('writes errors, hints, warnings and notes through one safe writer', () => {
    const stderr = sink();
    const messages = messagesTo(stderr);
    messages.error('no product "\x1b]8;;http://x\x07link"', 'Closest: "\x1b[31mred"');
    messages.warning('Deals is n/a: command failed (exit 3): \x1b]0;pwned\x07');
    messages.note('config: ev\ril.yaml');
    expect(stderr.text).toBe(
      [
        String.raw`kpi: error: no product "\x1b]8;;http://x\x07link"`,
        String.raw`  Closest: "\x1b[31mred"`,
        String.raw`kpi: warning: Deals is n/a: command failed (exit 3): \x1b]0;pwned\x07`,
        String.raw`kpi: config: ev\ril.yaml`,
        '',
      ].join('\n'),
    );
  });

  it('the notifier for side remarks goes through it too', () => {
    const stderr = sink();
    notifier({ stderr } as unknown as CliContext)('key file \x1b[8mhidden is readable by others');
    expect(stderr.text).toBe(String.raw`kpi: key file \x1b[8mhidden is readable by others` + '\n');
  });

  it('reportError shows a file name from the command line with visible escapes', async () => {
    const { code, stdout, stderr } = await runCli(['okr', 'lint', 'okrs\x1b]0;pwned\x07.yaml']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(String.raw`okrs\x1b]0;pwned\x07.yaml`);
    expect(stderr).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });

  it('usage errors of the argument parser show an argument with control characters as visible escapes (exit 2)', async () => {
    const { code, stdout, stderr } = await runCli(['mrr', '--format', 'x\x1b]0;pwned\x07']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(String.raw`argument 'x\x1b]0;pwned\x07' is invalid`);
    expect(stderr).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });
});

describe('human renderers', () => {
  const period = { name: 'now', start: new Date('2026-11-16T00:00:00Z'), end: new Date('2026-11-16T00:00:00Z'), quarter: '2026-Q4' };
  const failed: KpiResult = {
    id: 'deals',
    name: 'Deals\x1b[2J',
    unit: 'count',
    currency: null,
    period,
    source: 'command',
    value: null,
    target: 5,
    direction: 'higher',
    status: 'error',
    // A command source's stderr, quoted in its reason.
    reason: 'command failed (exit 3): \x1b]0;pwned\x07\rgone',
    note: null,
    trend: null,
    history: [],
  } as KpiResult;
  const view = { report: { generatedAt: new Date('2026-11-16T09:00:00Z'), timeZone: 'UTC', results: [failed], reads: [] }, onlyOffTrack: false };

  it('escape outside text before colouring: our colour codes stay, theirs are shown', () => {
    const table = renderKpiReportTable(view, makePalette(true));
    // Our own colour (dim) is there, intact...
    expect(table).toContain('\x1b[2m');
    // ...while every ESC that is not ours is shown: strip our SGR codes and no control character is left.
    const withoutOurCodes = table.replace(/\x1b\[\d+m/g, '');
    expect(withoutOurCodes).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
    expect(withoutOurCodes).toContain(String.raw`Deals\x1b[2J: command failed (exit 3): \x1b]0;pwned\x07\rgone`);
  });

  it('Markdown escapes HTML and pipes, and shows control characters', () => {
    const markdown = renderKpiReportMarkdown({ ...view, report: { ...view.report, results: [{ ...failed, name: '<b>A&B</b> | x\x07' }] } });
    expect(markdown).toContain(String.raw`| ? n/a | &lt;b&gt;A&amp;B&lt;/b&gt; \| x\x07 |`);
  });

  it('Markdown never turns a name into a link or an image, even with backslashes planted to unescape', () => {
    // Each bracket gets a backslash and each planted backslash is doubled, so no unescaped
    // "](" can close a link: a planted `\]` becomes `\\\]` (an escaped backslash, then an escaped bracket).
    expect(markdownText('[link](javascript:alert(1))')).toBe(String.raw`\[link\](javascript:alert(1))`);
    expect(markdownText('![x](http://host/pixel)')).toBe(String.raw`!\[x\](http://host/pixel)`);
    expect(markdownText(String.raw`[a\](http://x)`)).toBe(String.raw`\[a\\\](http://x)`);
  });

  it('lint output shows the file name and findings with visible escapes', () => {
    const text = renderLint([{ level: 'error', path: 'objectives[0]', message: 'title "\x1b[31mX"' }], 'okrs\r.yaml', makePalette(false));
    expect(text).toBe(String.raw`okrs\r.yaml: error: objectives[0]: title "\x1b[31mX"` + '\n1 error, 0 warnings\n');
  });

  it('movements and weekly ARR tables show tier names and snapshot paths with visible escapes', () => {
    const part = { amount: 0n, customers: 0, subscriptions: 0 };
    const line = { tier: 'Pro\r\x1b[31m', group: 'self-service' as const, currency: 'usd', start: 1000n, end: 1000n, parts: { new: part, reactivation: part, expansion: part, contraction: part, churn: part } };
    const at = new Date('2026-11-16T00:00:00Z');
    const movements: MovementsReport = { generatedAt: at, from: { requested: at, snapshot: 'a', takenAt: at }, to: { requested: at, snapshot: 'b', takenAt: at }, lines: [line], totals: [], converted: null };
    const table = renderMovementsTable(movements, makePalette(false));
    expect(table).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
    // Start and end 10.00 USD on the tier's own row.
    expect(table).toMatch(/^Pro\\r\\x1b\[31m\s+10\.00 USD/m);

    const series = { targetPercent: 10, rows: [], reconstructedFrom: { path: 'snap\x1b]8;;http://x\x07.json.gz', takenAt: 0 } } as unknown as WeeklyArrSeries;
    const weekly = renderWeeklyArrTable(series, makePalette(false));
    expect(weekly).toContain(String.raw`lifecycle dates in snap\x1b]8;;http://x\x07.json.gz,`);
  });
});
