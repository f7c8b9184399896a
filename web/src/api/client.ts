import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema.d.ts';

/** The server's error body (src/http/error-handler.ts). */
interface ErrorBody {
  error?: { code?: string; message?: string; requestId?: string; details?: Record<string, unknown> };
}

/** A failed API call, carrying the server's stable code and request id (never a secret). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | undefined,
    readonly details: Record<string, unknown> | undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;

/** The session's CSRF token, sent on every cookie-authenticated write (double submit). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The server also sets the token in the readable `vigil_csrf` cookie, so a reload keeps it. */
function currentCsrfToken(): string | null {
  if (csrfToken) return csrfToken;
  const match = document.cookie.split('; ').find((part) => part.startsWith('vigil_csrf='));
  return match ? decodeURIComponent(match.slice('vigil_csrf='.length)) : null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Fired when a call that needed a session was refused: the console returns to sign-in. */
export const SESSION_EXPIRED_EVENT = 'vigil:session-expired';
/** Fired when the server asks for a fresh second factor before an action. */
export const STEP_UP_EVENT = 'vigil:step-up-required';

const securityMiddleware: Middleware = {
  onRequest({ request }) {
    const token = SAFE_METHODS.has(request.method) ? null : currentCsrfToken();
    if (token) request.headers.set('x-csrf-token', token);
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith('/api/v1/auth/')) {
      window.dispatchEvent(new CustomEvent(SESSION_EXPIRED_EVENT));
    }
    return response;
  },
};

/** Typed client: paths, parameters and bodies are checked against the server's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(securityMiddleware);

/** Turns an openapi-fetch result into its data, or throws an ApiError with the server's words. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  const body = (result.error ?? {}) as ErrorBody;
  const error = new ApiError(
    result.response.status,
    body.error?.code ?? `HTTP_${result.response.status}`,
    body.error?.message ?? result.response.statusText ?? 'request failed',
    body.error?.requestId,
    body.error?.details,
  );
  if (isStepUpError(error)) window.dispatchEvent(new CustomEvent(STEP_UP_EVENT, { detail: error.message }));
  throw error;
}

/** The access layer answers 403 with a code naming step-up when fresh MFA is what is missing. */
export function isStepUpError(error: unknown): boolean {
  return (
    error instanceof ApiError && error.status === 403 && /STEP_UP|MFA_REQUIRED|FRESH_MFA/i.test(error.code)
  );
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    return error.requestId ? `${error.message} (request ${error.requestId})` : error.message;
  }
  return error instanceof Error ? error.message : 'something went wrong';
}
