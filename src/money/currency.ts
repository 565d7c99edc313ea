/**
 * How many decimal places each currency's minor unit has, as Stripe counts them.
 *
 * Kept as a table on purpose: `Intl.NumberFormat` disagrees with Stripe (ISK and HUF, for
 * example, are two-decimal in Stripe's API for backwards compatibility), and Stripe's own
 * amounts are what we format.
 */
const ZERO_DECIMAL = new Set([
  'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf',
]);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** Stripe's currency codes are lowercase ISO 4217; anything else here is a caller's bug or bad data. */
export function normaliseCurrency(code: string): string {
  const lower = code.trim().toLowerCase();
  if (!/^[a-z]{3}$/.test(lower)) throw new RangeError(`not a currency code: "${code}"`);
  return lower;
}

export function minorUnitExponent(currency: string): number {
  const code = normaliseCurrency(currency);
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/**
 * An integer amount in minor units as a plain decimal string in major units: 123450 usd ->
 * "1234.50", 500 jpy -> "500", 5124 kwd -> "5.124". No grouping, "." as decimal point, so a
 * spreadsheet reads it as a number.
 */
export function formatMajorUnits(minorUnits: bigint, currency: string): string {
  const exponent = minorUnitExponent(currency);
  const negative = minorUnits < 0n;
  const digits = (negative ? -minorUnits : minorUnits).toString();
  if (exponent === 0) return `${negative ? '-' : ''}${digits}`;
  const padded = digits.padStart(exponent + 1, '0');
  const whole = padded.slice(0, -exponent);
  const fraction = padded.slice(-exponent);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** The same amount for people: thousands grouped, currency code after it ("1,234.50 USD"). */
export function formatMoneyForHumans(minorUnits: bigint, currency: string): string {
  const plain = formatMajorUnits(minorUnits, currency);
  const negative = plain.startsWith('-');
  const [whole = '', fraction] = (negative ? plain.slice(1) : plain).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`} ${currency.toUpperCase()}`;
}

/** A change for people: a gain carries its "+" ("+5.00 USD"), a loss its "-". */
export function formatChangeForHumans(minorUnits: bigint, currency: string): string {
  return `${minorUnits > 0n ? '+' : ''}${formatMoneyForHumans(minorUnits, currency)}`;
}
