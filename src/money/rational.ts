/**
 * Exact rational numbers over bigint.
 *
 * MRR needs divisions that floats get wrong (a yearly price / 12, a weekly price x 52/12,
 * 12.5 % off, sub-cent `unit_amount_decimal`s, an amount-off coupon split across items).
 * Keeping numerator and denominator exact means totals never drift; rounding happens once,
 * when a figure is reported.
 */
export class Rational {
  private constructor(
    readonly numerator: bigint,
    /** Always positive; the fraction is always in lowest terms. */
    readonly denominator: bigint,
  ) {}

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  static of(numerator: bigint | number, denominator: bigint | number = 1n): Rational {
    const n = toBigInt(numerator);
    const d = toBigInt(denominator);
    if (d === 0n) throw new RangeError('Rational with a zero denominator');
    const sign = d < 0n ? -1n : 1n;
    const g = gcd(abs(n), abs(d));
    return new Rational((sign * n) / g, (sign * d) / g);
  }

  /**
   * Parses a plain decimal string such as "12.5", "-0.0125" or "1e-3" exactly.
   * Stripe sends `*_decimal` fields and percentages this way.
   */
  static parseDecimal(text: string): Rational {
    const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
    if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
      throw new SyntaxError(`not a decimal number: "${text}"`);
    }
    const [, sign, whole = '', fraction = '', exponentText] = match;
    const digits = BigInt(`${whole}${fraction}` || '0');
    const exponent = (exponentText ? Number(exponentText) : 0) - fraction.length;
    const signed = sign === '-' ? -digits : digits;
    return exponent >= 0
      ? Rational.of(signed * 10n ** BigInt(exponent))
      : Rational.of(signed, 10n ** BigInt(-exponent));
  }

  /** A JavaScript number taken at its shortest decimal spelling (12.5 -> 25/2, not the binary float). */
  static fromNumber(value: number): Rational {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return Rational.parseDecimal(String(value));
  }

  plus(other: Rational): Rational {
    return Rational.of(
      this.numerator * other.denominator + other.numerator * this.denominator,
      this.denominator * other.denominator,
    );
  }

  minus(other: Rational): Rational {
    return this.plus(other.negate());
  }

  times(other: Rational | bigint | number): Rational {
    const o = asRational(other);
    return Rational.of(this.numerator * o.numerator, this.denominator * o.denominator);
  }

  dividedBy(other: Rational | bigint | number): Rational {
    const o = asRational(other);
    if (o.numerator === 0n) throw new RangeError('division by zero');
    return Rational.of(this.numerator * o.denominator, this.denominator * o.numerator);
  }

  negate(): Rational {
    return new Rational(-this.numerator, this.denominator);
  }

  compare(other: Rational): -1 | 0 | 1 {
    const left = this.numerator * other.denominator;
    const right = other.numerator * this.denominator;
    return left < right ? -1 : left > right ? 1 : 0;
  }

  isZero(): boolean {
    return this.numerator === 0n;
  }

  isPositive(): boolean {
    return this.numerator > 0n;
  }

  isNegative(): boolean {
    return this.numerator < 0n;
  }

  max(other: Rational): Rational {
    return this.compare(other) >= 0 ? this : other;
  }

  min(other: Rational): Rational {
    return this.compare(other) <= 0 ? this : other;
  }

  /** Rounds half away from zero ("half-up" as accountants mean it) to an integer. */
  roundHalfUp(): bigint {
    const n = abs(this.numerator);
    const rounded = (2n * n + this.denominator) / (2n * this.denominator);
    return this.numerator < 0n ? -rounded : rounded;
  }

  /** Rounds toward negative infinity. */
  floor(): bigint {
    const q = this.numerator / this.denominator;
    return this.numerator < 0n && q * this.denominator !== this.numerator ? q - 1n : q;
  }

  /** Rounds toward positive infinity. */
  ceil(): bigint {
    return -this.negate().floor();
  }

  equals(other: Rational): boolean {
    return this.compare(other) === 0;
  }

  /** Exact "n/d" spelling, for tests and debugging. */
  toString(): string {
    return this.denominator === 1n ? `${this.numerator}` : `${this.numerator}/${this.denominator}`;
  }
}

/** `value` rounded half-up to `places` decimals, every place written: 1/3 at 4 -> "0.3333". */
export function decimalString(value: Rational, places: number): string {
  const scaled = value.times(10n ** BigInt(places)).roundHalfUp();
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const fraction = digits.slice(digits.length - places);
  return `${negative ? '-' : ''}${whole}${places > 0 ? `.${fraction}` : ''}`;
}

/** A coupon's percent off as Stripe allows it, to the hundredth without trailing zeros: 12.5, 10. */
export function percentText(percent: Rational): string {
  return decimalString(percent, 2).replace(/\.?0+$/, '');
}

export function sumRationals(values: Iterable<Rational>): Rational {
  let total = Rational.ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

function asRational(value: Rational | bigint | number): Rational {
  if (value instanceof Rational) return value;
  return typeof value === 'bigint' ? Rational.of(value) : Rational.fromNumber(value);
}

function toBigInt(value: bigint | number): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isInteger(value)) throw new RangeError(`not an integer: ${value}`);
  return BigInt(value);
}

function abs(value: bigint): bigint {
  return value < 0n ? -value : value;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}
