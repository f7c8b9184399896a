import { ApiError, api } from '../api/client.ts';

export type SessionStage = 'full' | 'mfa_enrollment' | 'password_change';

/**
 * A restricted session (second factor still to enrol, or an expired password) may call only a
 * few routes; any other answers 403 naming what is missing. Asking one full-stage route tells
 * the console which screen to show after a reload, when the sign-in answer is long gone.
 */
export async function probeSessionStage(): Promise<SessionStage> {
  const { response, error } = await api.GET('/api/v1/auth/sessions');
  if (response.ok) return 'full';
  const code = (error as { error?: { code?: string } } | undefined)?.error?.code;
  if (response.status === 403 && code === 'MFA_ENROLLMENT_REQUIRED') return 'mfa_enrollment';
  if (response.status === 403 && code === 'STEP_UP_REQUIRED') return 'password_change';
  throw new ApiError(
    response.status,
    code ?? `HTTP_${response.status}`,
    'could not read the session',
    undefined,
    undefined,
  );
}
