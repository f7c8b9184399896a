/**
 * The one error type of Vigil. A throw site names *what* went wrong with a stable code; the HTTP
 * layer alone decides the status (http/error-status.ts). Messages name the thing the caller sent,
 * never a secret, card number or personal datum.
 */
export type ErrorKind =
  | 'invalid' // the caller sent something malformed: 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403, with the failed condition in product words
  | 'not_found' // 404, also for another tenant's resource
  | 'conflict' // 409
  | 'gone' // 410: expired or shredded
  | 'too_large' // 413
  | 'rate_limited' // 429
  | 'unavailable' // 503
  | 'internal'; // 500

export interface AppErrorOptions {
  /** Extra, non-secret facts for the client (e.g. which field, which condition). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.details = options.details;
  }
}

/** Builds a feature's error factory so its codes live in one catalog next to the feature. */
export function defineErrors<const T extends Record<string, { kind: ErrorKind; message: string }>>(
  catalog: T,
) {
  return (code: keyof T & string, message?: string, options?: AppErrorOptions): AppError => {
    const entry = catalog[code]!;
    return new AppError(code, entry.kind, message ?? entry.message, options);
  };
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
