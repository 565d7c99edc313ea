/** Minor-unit amounts are bigints inside kpi; JSON consumers get plain integers. */
export function jsonInteger(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`amount ${value} is too large to write as a JSON number`);
  }
  return Number(value);
}

export function jsonIntegerOrNull(value: bigint | null): number | null {
  return value === null ? null : jsonInteger(value);
}

export function jsonMoneyMap(amounts: Record<string, bigint>): Record<string, number> {
  return Object.fromEntries(Object.entries(amounts).map(([code, amount]) => [code, jsonInteger(amount)]));
}
