/**
 * Errors a user can act on. Each carries the documented exit code the CLI ends with;
 * anything else that escapes is a bug and is reported as such.
 */
export const ExitCode = {
  Success: 0,
  DataSourceFailed: 1,
  BadInput: 2,
  AuthenticationFailed: 4,
  /** Not an error we raise: what the CLI exits with when something unexpected breaks. */
  InternalError: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class KpiError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** A line telling the user what to do next, printed after the message. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags, arguments, configuration or input files (exit 2). */
export class UsageError extends KpiError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.BadInput, hint);
  }
}

/** A data source (Stripe, a file, an API) failed or returned something unusable (exit 1). */
export class DataSourceError extends KpiError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.DataSourceFailed, hint);
  }
}

/** Credentials missing or rejected (exit 4). */
export class AuthenticationError extends KpiError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.AuthenticationFailed, hint);
  }
}
