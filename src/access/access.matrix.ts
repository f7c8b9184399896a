import { FIELD_NAMES, PERMISSION_NAMES, PERMISSIONS } from './access.permissions.ts';
import { BUILTIN_ROLE_NAMES, BUILTIN_ROLES } from './access.roles.ts';

/** The role x permission matrix of the built-in roles, as Markdown (the docs embed it). */
export function builtinMatrixMarkdown(): string {
  const header = `| permission | ${BUILTIN_ROLE_NAMES.join(' | ')} |`;
  const rule = `|---|${BUILTIN_ROLE_NAMES.map(() => ':-:').join('|')}|`;
  const rows = PERMISSION_NAMES.map((permission) => {
    const cells = BUILTIN_ROLE_NAMES.map((role) => {
      const grant = BUILTIN_ROLES[role].grants.find((g) => g.permission === permission);
      if (!grant) return '';
      return PERMISSIONS[permission].scoped ? grant.scope : 'yes';
    });
    const flags = [
      PERMISSIONS[permission].stepUp ? 'step-up' : '',
      PERMISSIONS[permission].customerData ? 'customer data' : '',
    ]
      .filter(Boolean)
      .join(', ');
    return `| \`${permission}\`${flags ? ` (${flags})` : ''} | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}

/** Which fields each built-in role sees unmasked, masked or not at all, as Markdown. */
export function builtinFieldsMarkdown(): string {
  const header = `| field | ${BUILTIN_ROLE_NAMES.join(' | ')} |`;
  const rule = `|---|${BUILTIN_ROLE_NAMES.map(() => ':-:').join('|')}|`;
  const rows = FIELD_NAMES.map((field) => {
    const cells = BUILTIN_ROLE_NAMES.map((role) => BUILTIN_ROLES[role].fields[field] ?? 'masked');
    return `| \`${field}\` | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}
