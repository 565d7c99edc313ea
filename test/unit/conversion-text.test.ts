import { describe, expect, it } from 'vitest';
import type { ExchangeRates } from '../../src/money/exchange-rates.js';
import { conversionFootnote, ratesInBrief } from '../../src/revenue/conversion.js';

const ecb: ExchangeRates = { currency: 'usd', source: 'ecb', date: '2026-11-13', quoted: { usd: '1.0823', gbp: '0.8712', jpy: '162.30' } };
const fixed: ExchangeRates = { currency: 'usd', source: 'config', date: null, quoted: { eur: '1.08', gbp: '1.27' } };

describe('the conversion in words', () => {
  it('names fixed rates as configured', () => {
    expect(conversionFootnote(fixed, { eur: '1.08', gbp: '1.27' })).toBe('Converted to USD at the configured rates: 1 EUR = 1.08 USD, 1 GBP = 1.27 USD.');
    expect(ratesInBrief(fixed)).toBe('USD at configured rates');
  });

  it('says which ECB rates are cross rates through the euro, without brackets when all are', () => {
    // 1.0823 / 0.8712 = 1.2423094...; 1.0823 / 162.30 = 0.0066685...
    expect(conversionFootnote(ecb, { gbp: '1.242309', jpy: '0.006669' })).toBe(
      'Converted to USD at the ECB reference rates of 2026-11-13: 1 GBP = 1.242309 USD, 1 JPY = 0.006669 USD through the euro.',
    );
    expect(conversionFootnote(ecb, { eur: '1.0823', gbp: '1.242309' })).toBe(
      'Converted to USD at the ECB reference rates of 2026-11-13: 1 EUR = 1.0823 USD (1 GBP = 1.242309 USD through the euro).',
    );
  });

  it('says nothing when nothing was converted (an account in the reporting currency only)', () => {
    expect(conversionFootnote(ecb, {})).toBeNull();
  });
});
