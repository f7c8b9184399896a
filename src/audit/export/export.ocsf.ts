import type { AuditEventView } from '../audit.events.ts';

/** OCSF schema version the events are shaped after. */
export const OCSF_VERSION = '1.1.0';

const AUTHENTICATION = {
  classUid: 3002,
  categoryUid: 3,
  className: 'Authentication',
  categoryName: 'Identity & Access Management',
};
const API_ACTIVITY = {
  classUid: 6003,
  categoryUid: 6,
  className: 'API Activity',
  categoryName: 'Application Activity',
};

// Action verbs (last dotted segment) by OCSF API Activity activity_id.
const API_VERBS: readonly [number, string, RegExp][] = [
  [1, 'Create', /^(create|add|enroll|register|invite|issue|import|ingest|tokenize)/],
  [2, 'Read', /^(read|view|list|get|search|export|reveal|detokenize|download|play)/],
  [3, 'Update', /^(update|set|change|rotate|assign|grant|enable|disable|suspend|reset|approve)/],
  [4, 'Delete', /^(delete|remove|purge|shred|revoke|destroy|erase)/],
];

function classify(action: string): {
  classInfo: typeof API_ACTIVITY;
  activityId: number;
  activityName: string;
} {
  const verb = action.split('.').pop() ?? '';
  if (action.startsWith('auth.')) {
    if (/^(login|logon|signin|mfa)/.test(verb))
      return { classInfo: AUTHENTICATION, activityId: 1, activityName: 'Logon' };
    if (/^(logout|logoff|signout)/.test(verb))
      return { classInfo: AUTHENTICATION, activityId: 2, activityName: 'Logoff' };
    return { classInfo: AUTHENTICATION, activityId: 99, activityName: 'Other' };
  }
  const match = API_VERBS.find(([, , pattern]) => pattern.test(verb));
  return match
    ? { classInfo: API_ACTIVITY, activityId: match[0], activityName: match[1] }
    : { classInfo: API_ACTIVITY, activityId: 99, activityName: 'Other' };
}

function userOf(event: AuditEventView) {
  const typeId = event.actor.type === 'user' ? 1 : event.actor.type === 'system' ? 3 : 99;
  return {
    uid: event.actor.id,
    ...(event.actor.name ? { name: event.actor.name } : {}),
    type_id: typeId,
    type: typeId === 1 ? 'User' : typeId === 3 ? 'System' : 'Other',
  };
}

/**
 * One audit event as an OCSF event: Authentication (3002) for `auth.*` actions, API Activity
 * (6003) for everything else. Fields OCSF has no place for go under `unmapped`.
 */
export function toOcsf(event: AuditEventView, product: { version: string }): Record<string, unknown> {
  const { classInfo, activityId, activityName } = classify(event.action);
  const failed = event.outcome !== 'success';
  const user = userOf(event);
  const endpoint = event.origin.ip ? { src_endpoint: { ip: event.origin.ip } } : {};
  const common = {
    class_uid: classInfo.classUid,
    class_name: classInfo.className,
    category_uid: classInfo.categoryUid,
    category_name: classInfo.categoryName,
    activity_id: activityId,
    activity_name: activityName,
    type_uid: classInfo.classUid * 100 + activityId,
    time: event.occurredAt,
    severity_id: failed ? 3 : 1,
    severity: failed ? 'Medium' : 'Informational',
    status_id: failed ? 2 : 1,
    status: failed ? 'Failure' : 'Success',
    ...(failed ? { status_detail: event.outcome } : {}),
    message: event.action,
    metadata: {
      version: OCSF_VERSION,
      uid: event.id,
      tenant_uid: event.tenantId,
      sequence: event.seq,
      log_name: 'vigil-audit',
      product: { name: 'Vigil', vendor_name: 'Vigil', version: product.version },
      ...(event.requestId ? { correlation_uid: event.requestId } : {}),
    },
    actor: { user },
    ...endpoint,
    ...(event.origin.userAgent ? { http_request: { user_agent: event.origin.userAgent } } : {}),
    unmapped: {
      action: event.action,
      outcome: event.outcome,
      ...(event.reason ? { reason: event.reason } : {}),
      ...(event.details ? { details: event.details } : {}),
      ...(event.sensitive ? { sensitive_hmacs: event.sensitive } : {}),
    },
  };
  const resource = event.target ? [{ type: event.target.type, uid: event.target.id }] : undefined;
  if (classInfo === AUTHENTICATION) {
    return { ...common, user, ...(resource ? { resources: resource } : {}) };
  }
  return {
    ...common,
    api: { operation: event.action, ...(event.requestId ? { request: { uid: event.requestId } } : {}) },
    ...(resource ? { resources: resource } : {}),
  };
}

/** Newline-delimited JSON: one OCSF event per line. */
export function toOcsfNdjson(events: readonly AuditEventView[], product: { version: string }): string {
  return events.map((e) => `${JSON.stringify(toOcsf(e, product))}\n`).join('');
}
