import { useQuery } from '@tanstack/react-query';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import { Badge, PageHeader, QueryView } from '../ui/feedback.tsx';
import { DataTable } from '../ui/table.tsx';

async function fetchRolesAndCatalog() {
  const [roles, catalog] = await Promise.all([
    api.GET('/api/v1/access/roles').then(unwrap),
    api.GET('/api/v1/access/permissions').then(unwrap),
  ]);
  return { roles: roles.roles, catalog };
}

type Data = Awaited<ReturnType<typeof fetchRolesAndCatalog>>;
type Role = Data['roles'][number];

const SCOPE_LABEL: Record<string, string> = { tenant: 'all', team: 'team', own: 'own', sampled: 'sample' };

function scopeOf(role: Role, permission: string): string | null {
  const grant = role.grants.find((g) => g.permission === permission);
  return grant ? (SCOPE_LABEL[grant.scope] ?? grant.scope) : null;
}

/** Rows are permissions, columns roles; a cell names the scope a role holds the permission with. */
function PermissionMatrix({ data }: { data: Data }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll it
    <section className="table-wrap" tabIndex={0} aria-label="Permission matrix">
      <table className="react-aria-Table matrix">
        <caption className="visually-hidden">
          Permission matrix: which role holds which permission, and its scope
        </caption>
        <thead>
          <tr>
            <th className="react-aria-Column" scope="col">
              Permission
            </th>
            {data.roles.map((role) => (
              <th key={role.name} className="react-aria-Column" scope="col">
                {role.displayName}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.catalog.permissions.map((permission) => (
            <tr key={permission.name}>
              <th className="react-aria-Cell" scope="row">
                <span className="mono small">{permission.name}</span>
                <div className="small muted">{permission.description}</div>
                {permission.stepUp ? <Badge tone="warn">step-up</Badge> : null}
              </th>
              {data.roles.map((role) => {
                const scope = scopeOf(role, permission.name);
                return (
                  <td key={role.name} className="react-aria-Cell">
                    {scope ? (
                      <span className="yes">
                        ✓ <span className="small">{scope}</span>
                      </span>
                    ) : (
                      <span className="no" role="img" aria-label="no">
                        –
                      </span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function RolesList({ data }: { data: Data }) {
  return (
    <DataTable
      label="Roles"
      rows={data.roles}
      rowKey={(r) => r.name}
      columns={[
        { id: 'name', title: 'Role', render: (r) => <strong>{r.displayName}</strong>, isRowHeader: true },
        { id: 'id', title: 'Name', render: (r) => <span className="mono small">{r.name}</span> },
        {
          id: 'kind',
          title: 'Kind',
          render: (r) => (
            <Badge tone={r.builtin ? 'neutral' : 'info'}>{r.builtin ? 'built-in' : 'custom'}</Badge>
          ),
        },
        { id: 'desc', title: 'Description', render: (r) => <span className="small">{r.description}</span> },
        { id: 'grants', title: 'Permissions', render: (r) => r.grants.length },
        {
          id: 'fields',
          title: 'Unmasked fields',
          render: (r) => (
            <span className="small">
              {Object.entries(r.fields)
                .filter(([, v]) => v === 'unmasked')
                .map(([k]) => k)
                .join(', ') || 'none'}
            </span>
          ),
        },
      ]}
    />
  );
}

export function RolesPage() {
  const query = useQuery({ queryKey: ['access', 'roles'], queryFn: fetchRolesAndCatalog });
  return (
    <>
      <PageHeader
        title="Roles and permissions"
        description="Built-in and custom roles, and what each may do."
      />
      <QueryView query={query}>
        {(data) => (
          <Tabs>
            <TabList aria-label="Role views">
              <Tab id="matrix">Permission matrix</Tab>
              <Tab id="roles">Roles</Tab>
            </TabList>
            <TabPanel id="matrix">
              <PermissionMatrix data={data} />
            </TabPanel>
            <TabPanel id="roles">
              <RolesList data={data} />
            </TabPanel>
          </Tabs>
        )}
      </QueryView>
    </>
  );
}
