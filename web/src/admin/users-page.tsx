import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/schema.d.ts';
import { useCan } from '../app/access.ts';
import { FormDialog } from '../ui/dialogs.tsx';
import { Badge, ErrorBanner, Notice, PageHeader, QueryView, type Tone } from '../ui/feedback.tsx';
import { CheckboxInput, TextInput } from '../ui/fields.tsx';
import { formatDateTime } from '../ui/format.ts';
import { type ColumnDef, DataTable } from '../ui/table.tsx';

type User = paths['/api/v1/users']['get']['responses'][200]['content']['application/json']['users'][number];

const STATUS_TONE: Record<User['status'], Tone> = {
  active: 'ok',
  invited: 'info',
  suspended: 'warn',
  disabled: 'danger',
};

function mfaLabel(user: User): string {
  const parts = [
    user.mfa.totp ? 'app' : null,
    user.mfa.passkeys > 0 ? `${user.mfa.passkeys} passkey(s)` : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' + ') : 'none';
}

function InviteDialog(props: { isOpen: boolean; onOpenChange: (o: boolean) => void; onDone: () => void }) {
  const roles = useQuery({
    queryKey: ['access', 'roles', 'names'],
    queryFn: async () => unwrap(await api.GET('/api/v1/access/roles')).roles,
    enabled: props.isOpen,
    retry: false,
  });
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  return (
    <FormDialog
      title="Invite a user"
      isOpen={props.isOpen}
      onOpenChange={props.onOpenChange}
      submitLabel="Send invitation"
      onSubmit={async () => {
        unwrap(await api.POST('/api/v1/users', { body: { email, displayName, roles: [...chosen] } }));
        setEmail('');
        setDisplayName('');
        setChosen(new Set());
        props.onDone();
      }}
    >
      <TextInput label="Name" value={displayName} onChange={setDisplayName} isRequired maxLength={200} />
      <TextInput label="Email" type="email" value={email} onChange={setEmail} isRequired />
      <fieldset className="stack">
        <legend className="react-aria-Label">Roles</legend>
        {(roles.data ?? []).map((role) => (
          <CheckboxInput
            key={role.name}
            isSelected={chosen.has(role.name)}
            onChange={(on) =>
              setChosen((s) => {
                const next = new Set(s);
                if (on) next.add(role.name);
                else next.delete(role.name);
                return next;
              })
            }
          >
            {role.displayName} <span className="small muted">{role.description}</span>
          </CheckboxInput>
        ))}
      </fieldset>
      <p className="small muted">The invitation link is emailed and works once, for a limited time.</p>
    </FormDialog>
  );
}

/** Users and invitations: status, roles, second factors, last sign-in; suspend and reset. */
export function UsersPage() {
  const client = useQueryClient();
  const canManage = useCan('users.manage');
  const [inviting, setInviting] = useState(false);
  const [suspending, setSuspending] = useState<User | null>(null);
  const [reason, setReason] = useState('');
  const users = useQuery({
    queryKey: ['users'],
    queryFn: async () => unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 500 } } })).users,
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['users'] });
  const act = useMutation({
    mutationFn: async ({
      user,
      action,
    }: {
      user: User;
      action: 'reactivate' | 'reset-mfa' | 'sessions' | 'invitation';
    }) => {
      const path = { params: { path: { id: user.id } } };
      if (action === 'reactivate') unwrap(await api.POST('/api/v1/users/{id}/reactivate', path));
      if (action === 'reset-mfa') unwrap(await api.POST('/api/v1/users/{id}/reset-mfa', path));
      if (action === 'sessions') unwrap(await api.DELETE('/api/v1/users/{id}/sessions', path));
      if (action === 'invitation') unwrap(await api.POST('/api/v1/users/{id}/invitation', path));
      return action;
    },
    onSuccess: refresh,
  });
  const actions = (u: User) =>
    canManage ? (
      <span className="row">
        {u.status === 'active' ? (
          <Button
            className="react-aria-Button small"
            aria-label={`Suspend ${u.displayName}`}
            onPress={() => setSuspending(u)}
          >
            Suspend
          </Button>
        ) : null}
        {u.status === 'suspended' || u.status === 'disabled' ? (
          <Button
            className="react-aria-Button small"
            aria-label={`Reactivate ${u.displayName}`}
            onPress={() => act.mutate({ user: u, action: 'reactivate' })}
          >
            Reactivate
          </Button>
        ) : null}
        {u.status === 'invited' ? (
          <Button
            className="react-aria-Button small"
            aria-label={`Resend invitation to ${u.displayName}`}
            onPress={() => act.mutate({ user: u, action: 'invitation' })}
          >
            Resend invitation
          </Button>
        ) : null}
        {u.mfa.totp || u.mfa.passkeys > 0 ? (
          <Button
            className="react-aria-Button small"
            aria-label={`Reset MFA of ${u.displayName}`}
            onPress={() => act.mutate({ user: u, action: 'reset-mfa' })}
          >
            Reset MFA
          </Button>
        ) : null}
        {u.status === 'active' ? (
          <Button
            className="react-aria-Button small"
            aria-label={`End sessions of ${u.displayName}`}
            onPress={() => act.mutate({ user: u, action: 'sessions' })}
          >
            End sessions
          </Button>
        ) : null}
      </span>
    ) : null;
  const columns: ColumnDef<User>[] = [
    {
      id: 'name',
      title: 'Name',
      render: (u) => (
        <>
          <strong>{u.displayName}</strong>
          <div className="small muted">{u.email}</div>
        </>
      ),
      isRowHeader: true,
    },
    { id: 'status', title: 'Status', render: (u) => <Badge tone={STATUS_TONE[u.status]}>{u.status}</Badge> },
    {
      id: 'roles',
      title: 'Roles',
      render: (u) => <span className="small">{u.roles.join(', ') || '—'}</span>,
    },
    {
      id: 'mfa',
      title: 'Second factor',
      render: (u) => (
        <Badge tone={u.mfa.totp || u.mfa.passkeys > 0 || u.sso ? 'ok' : 'warn'}>
          {u.sso ? 'SSO' : mfaLabel(u)}
        </Badge>
      ),
    },
    { id: 'login', title: 'Last sign-in', render: (u) => formatDateTime(u.lastLoginAt) },
    { id: 'actions', title: 'Actions', render: actions },
  ];
  return (
    <>
      <PageHeader
        title="Users and invitations"
        description="Accounts unused for 90 days are disabled automatically (PCI DSS 8.2.6)."
        actions={
          canManage ? (
            <Button className="react-aria-Button primary" onPress={() => setInviting(true)}>
              Invite user
            </Button>
          ) : null
        }
      />
      <ErrorBanner error={act.error} />
      {act.isSuccess ? <Notice tone="ok">Done.</Notice> : null}
      <QueryView query={users}>
        {(rows) => (
          <DataTable label="Users" columns={columns} rows={rows} rowKey={(u) => u.id} empty="No user yet." />
        )}
      </QueryView>
      <InviteDialog isOpen={inviting} onOpenChange={setInviting} onDone={() => void refresh()} />
      <FormDialog
        title={suspending ? `Suspend ${suspending.displayName}` : 'Suspend'}
        isOpen={suspending !== null}
        onOpenChange={(open) => (open ? null : setSuspending(null))}
        submitLabel="Suspend"
        tone="danger"
        onSubmit={async () => {
          if (!suspending) return;
          unwrap(
            await api.POST('/api/v1/users/{id}/suspend', {
              params: { path: { id: suspending.id } },
              body: { reason },
            }),
          );
          setReason('');
          await refresh();
        }}
      >
        <p>Their sessions end at once and they cannot sign in until reactivated.</p>
        <TextInput label="Reason" value={reason} onChange={setReason} isRequired maxLength={200} />
      </FormDialog>
    </>
  );
}
