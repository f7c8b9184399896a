/** The console's sections; an entry shows only to people who hold its permission (when known). */
export interface NavItem {
  to: string;
  label: string;
  permission?: string;
}

export interface NavGroup {
  title: string;
  items: NavItem[];
}

export const NAVIGATION: readonly NavGroup[] = [
  {
    title: 'Overview',
    items: [{ to: '/', label: 'Dashboard' }],
  },
  {
    title: 'Customer data',
    items: [{ to: '/interactions', label: 'Interactions', permission: 'interactions.read' }],
  },
  {
    title: 'Administration',
    items: [
      { to: '/admin/users', label: 'Users and invitations', permission: 'users.read' },
      { to: '/admin/roles', label: 'Roles and permissions', permission: 'access.read' },
      { to: '/admin/teams', label: 'Teams and queues', permission: 'access.read' },
      { to: '/admin/zones', label: 'Network zones', permission: 'access.read' },
      { to: '/admin/policy', label: 'Sign-in policy', permission: 'access.manage' },
      { to: '/admin/sso', label: 'Single sign-on', permission: 'access.manage' },
      { to: '/admin/api-keys', label: 'API keys', permission: 'apikeys.manage' },
      { to: '/admin/reviews', label: 'Access reviews', permission: 'access.read' },
      { to: '/admin/elevations', label: 'Just-in-time access' },
    ],
  },
  {
    title: 'Compliance',
    items: [
      { to: '/audit', label: 'Audit log', permission: 'audit.read' },
      { to: '/retention', label: 'Retention', permission: 'reports.read' },
      { to: '/dsar', label: 'Data subject requests', permission: 'dsar.manage' },
    ],
  },
  {
    title: 'You',
    items: [{ to: '/account', label: 'Account security' }],
  },
];

export function visibleNavigation(permissions: ReadonlySet<string> | null): NavGroup[] {
  return NAVIGATION.map((group) => ({
    ...group,
    items: group.items.filter((item) => !item.permission || !permissions || permissions.has(item.permission)),
  })).filter((group) => group.items.length > 0);
}
