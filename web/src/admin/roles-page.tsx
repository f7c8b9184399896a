import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import { useCan } from '../app/access.ts';
import { FormDialog } from '../ui/dialogs.tsx';
import { Badge, PageHeader, QueryView } from '../ui/feedback.tsx';
import { DataTable } from '../ui/table.tsx';
import { type Catalog, type Role, RoleEditor } from './role-editor.tsx';
import { describeWindow } from './role-windows.tsx';

async function fetchRolesAndCatalog() {
  const [roles, catalog] = await Promise.all([
    api.GET('/api/v1/access/roles').then(unwrap),
    api.GET('/api/v1/access/permissions').then(unwrap),
  ]);
  return { roles: roles.roles, catalog };
}

interface Data {
  roles: Role[];
  catalog: Catalog;
}

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
                {role.builtin ? null : (
                  <div>
                    <Badge tone="info">custom</Badge>
                  </div>
                )}
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

function RolesList(props: { data: Data; onEdit?: (r: Role) => void; onDelete?: (r: Role) => void }) {
  const { data } = props;
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
        {
          id: 'hours',
          title: 'Working hours',
          render: (r) => (
            <span className="small">{r.windows.map(describeWindow).join('; ') || 'any time'}</span>
          ),
        },
        {
          id: 'actions',
          title: 'Actions',
          render: (r) =>
            r.builtin || !props.onEdit ? null : (
              <span className="row">
                <Button
                  className="react-aria-Button small"
                  aria-label={`Edit role ${r.displayName}`}
                  onPress={() => props.onEdit?.(r)}
                >
                  Edit
                </Button>
                <Button
                  className="react-aria-Button small"
                  aria-label={`Delete role ${r.displayName}`}
                  onPress={() => props.onDelete?.(r)}
                >
                  Delete
                </Button>
              </span>
            ),
        },
      ]}
    />
  );
}

/** Built-in and custom roles; role managers create, edit and delete the tenant's custom roles. */
export function RolesPage() {
  const client = useQueryClient();
  const canManage = useCan('roles.manage');
  const canEditHours = useCan('access.manage');
  const [editing, setEditing] = useState<Role | null | 'new'>(null);
  const [deleting, setDeleting] = useState<Role | null>(null);
  const query = useQuery({ queryKey: ['access', 'roles'], queryFn: fetchRolesAndCatalog });
  const refresh = () => client.invalidateQueries({ queryKey: ['access'] });
  return (
    <>
      <PageHeader
        title="Roles and permissions"
        description="Built-in and custom roles, and what each may do."
        actions={
          canManage ? (
            <Button className="react-aria-Button primary" onPress={() => setEditing('new')}>
              New role
            </Button>
          ) : null
        }
      />
      <QueryView query={query}>
        {(data) => (
          <>
            <Tabs>
              <TabList aria-label="Role views">
                <Tab id="matrix">Permission matrix</Tab>
                <Tab id="roles">Roles</Tab>
              </TabList>
              <TabPanel id="matrix">
                <PermissionMatrix data={data} />
              </TabPanel>
              <TabPanel id="roles">
                <RolesList
                  data={data}
                  {...(canManage ? { onEdit: (r: Role) => setEditing(r), onDelete: setDeleting } : {})}
                />
              </TabPanel>
            </Tabs>
            {editing === null ? null : (
              <RoleEditor
                key={editing === 'new' ? '' : editing.name}
                role={editing === 'new' ? null : editing}
                catalog={data.catalog}
                canEditHours={canEditHours}
                isOpen
                onOpenChange={(open) => (open ? null : setEditing(null))}
                onSaved={refresh}
              />
            )}
          </>
        )}
      </QueryView>
      <FormDialog
        title={deleting ? `Delete role ${deleting.displayName}` : 'Delete role'}
        isOpen={deleting !== null}
        onOpenChange={(open) => (open ? null : setDeleting(null))}
        submitLabel="Delete role"
        tone="danger"
        onSubmit={async () => {
          if (!deleting) return;
          unwrap(
            await api.DELETE('/api/v1/access/roles/{name}', { params: { path: { name: deleting.name } } }),
          );
          await refresh();
        }}
      >
        <p>
          A role still held by someone, or named in the access policy, cannot be deleted: revoke it first.
        </p>
      </FormDialog>
    </>
  );
}
