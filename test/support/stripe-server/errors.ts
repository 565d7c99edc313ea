/**
 * Stripe-shaped API errors. Handlers throw `ApiError`; the HTTP layer turns it into
 * `{"error": {...}}` with the status code, so no handler writes a response itself.
 */

export type StripeErrorType = 'invalid_request_error' | 'api_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }

  toJSON(): { error: StripeErrorBody } {
    // Key order mirrors Stripe's responses, which makes raw bodies easier to compare by eye.
    const { type, code, message, param } = this.body;
    return { error: { type, ...(code ? { code } : {}), message, ...(param ? { param } : {}) } };
  }
}

export function invalidRequest(message: string, extra: { code?: string; param?: string } = {}, status = 400): ApiError {
  return new ApiError(status, { type: 'invalid_request_error', message, ...extra });
}

export function unknownParameter(param: string): ApiError {
  return invalidRequest(`Received unknown parameter: ${param}`, { code: 'parameter_unknown', param });
}

export function missingParameter(param: string): ApiError {
  return invalidRequest(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
}

export function invalidInteger(param: string, value: unknown): ApiError {
  return invalidRequest(`Invalid integer: ${describe(value)}`, { code: 'parameter_invalid_integer', param });
}

/**
 * Stripe has no public error code for "not one of the allowed values" or "wrong shape";
 * `parameter_invalid_string` keeps such errors distinguishable from the integer ones.
 */
export function invalidValue(param: string, message: string): ApiError {
  return invalidRequest(message, { code: 'parameter_invalid_string', param });
}

export function emptyParameter(param: string): ApiError {
  return invalidRequest(
    `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; ` +
      `however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
    { code: 'parameter_invalid_empty', param },
  );
}

export function noSuchObject(objectName: string, id: string, param: string, status: number): ApiError {
  return invalidRequest(`No such ${objectName}: '${id}'`, { code: 'resource_missing', param }, status);
}

export function unrecognizedUrl(method: string, path: string): ApiError {
  return invalidRequest(
    `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    { code: 'resource_missing' },
    404,
  );
}

export function methodNotAllowed(method: string, path: string): ApiError {
  return invalidRequest(
    `This test server is read-only: ${method} ${path} is not supported (only GET requests are).`,
    { code: 'method_not_allowed' },
    405,
  );
}

export function rateLimited(): ApiError {
  return invalidRequest(
    'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
    { code: 'rate_limit' },
    429,
  );
}

/** What Stripe answers a restricted key that lacks the permission an endpoint needs. */
export function permissionDenied(key: string, accountId: string, permission: string): ApiError {
  return invalidRequest(
    `The provided key '${redactApiKey(key)}' does not have the required permissions for this endpoint on account '${accountId}'. ` +
      `Having the '${permission}' permission would allow this request to continue.`,
    {},
    403,
  );
}

export function internalError(message = 'An unknown error occurred'): ApiError {
  return new ApiError(500, { type: 'api_error', message });
}

export function missingApiKey(): ApiError {
  return invalidRequest(
    "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). " +
      'See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.',
    {},
    401,
  );
}

export function invalidApiKey(key: string): ApiError {
  return invalidRequest(`Invalid API Key provided: ${redactApiKey(key)}`, {}, 401);
}

/**
 * Shows the key's kind and last four characters, as Stripe does, and never enough of a
 * short key to reconstruct it: at least eight characters always stay hidden.
 */
export function redactApiKey(key: string): string {
  const prefix = /^[a-z]{2,4}_(?:test|live)_/.exec(key)?.[0] ?? '';
  const rest = key.slice(prefix.length);
  const tail = rest.length >= 12 ? rest.slice(-4) : '';
  return `${prefix}****${tail}`;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
