import { isPermission, PERMISSIONS } from './access.permissions.ts';
import { describeWindow } from './access.time-windows.ts';
import type { CompiledRole, DeviceAssessment, WorkforceAssessment } from './access.types.ts';

/** "reveal the unmasked data of an interaction" for a permission name. */
export function describePermission(permission: string): string {
  return isPermission(permission) ? PERMISSIONS[permission].description : `use ${permission}`;
}

function listWords(items: readonly string[], joiner: 'or' | 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${joiner} ${items.at(-1)}`;
}

/*
 * Denial messages name the condition that failed in the words a contact-center employee uses,
 * so the person knows what to do (connect to the VPN, verify again, ask for elevation). They
 * never include personal data: only role, zone and permission names the tenant chose.
 */
export const denialMessages = {
  notAUser: (permission: string) =>
    `Integration keys cannot ${describePermission(permission)}; sign in as a person to do this.`,
  notAnIntegration: () => 'This endpoint is for integration keys; people cannot call it with a session.',
  missingScope: (scope: string) => `This integration key does not carry the "${scope}" scope.`,
  noPermission: (permission: string, roleNames: string) =>
    roleNames
      ? `Your roles (${roleNames}) do not allow you to ${describePermission(permission)}. Ask for temporary elevation if you need it.`
      : `Your account holds no role that allows you to ${describePermission(permission)}.`,
  outsideWindow: (permission: string, role: CompiledRole) =>
    `Your role ${role.definition.displayName} allows you to ${describePermission(permission)} only during ` +
    `${role.windowSource.map(describeWindow).join('; ')}; it is outside those hours now.`,
  outsideZone: (permission: string, zones: readonly string[]) =>
    `You may ${describePermission(permission)} only from the ${listWords(zones, 'or')} network` +
    `${zones.length > 1 ? 's' : ''}; this request came from outside ${zones.length > 1 ? 'them' : 'it'}.`,
  device: (permission: string, device: DeviceAssessment | undefined) =>
    device === undefined
      ? `To ${describePermission(permission)} your device must be confirmed compliant, and no device ` +
        'compliance source is connected yet, so it cannot be confirmed.'
      : `To ${describePermission(permission)} your device must be compliant, and it is not` +
        `${device.reason ? ` (${device.reason})` : ''}.`,
  workforce: (permission: string, standing: WorkforceAssessment | undefined) => {
    if (standing === undefined) {
      return (
        `To ${describePermission(permission)} your security training must be current and your background ` +
        'check valid, and no workforce record source is connected yet, so neither can be confirmed.'
      );
    }
    const missing = [
      standing.trainingCurrent ? null : 'your security training is not current',
      standing.backgroundCheckValid ? null : 'your background check is not valid',
    ].filter((m): m is string => m !== null);
    return `You may not ${describePermission(permission)}: ${listWords(missing, 'and')}${standing.reason ? ` (${standing.reason})` : ''}.`;
  },
  stepUp: (permission: string, stepUpMs: number) =>
    `To ${describePermission(permission)} confirm your identity with MFA again: it must have been verified ` +
    `within the last ${Math.round(stepUpMs / 60_000)} minutes.`,
};
