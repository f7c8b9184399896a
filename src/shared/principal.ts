/** Who is making a request, as established by the identity layer. */
export interface Principal {
  tenantId: string;
  kind: 'user' | 'api_key' | 'system';
  /** User id, API key id, or the job/CLI name for `system`. */
  id: string;
  displayName: string;
  roles: string[];
  sessionId?: string;
  /** When the principal last completed an MFA challenge (epoch ms), for step-up checks. */
  mfaVerifiedAt?: number;
  /** Scopes of an API key (e.g. `ingest`). */
  scopes?: string[];
}

/** The actor recorded for operations run from the CLI or a scheduled job. */
export function systemPrincipal(tenantId: string, name: string): Principal {
  return { tenantId, kind: 'system', id: name, displayName: name, roles: ['system'] };
}
