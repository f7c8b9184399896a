import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import { Badge, Card, ErrorBanner, PageHeader, QueryView } from '../ui/feedback.tsx';
import { formatDateTime } from '../ui/format.ts';
import { DataTable } from '../ui/table.tsx';
import { PasskeyEnrollment, RecoveryCodes, TotpEnrollment } from './mfa-enrollment.tsx';

function SecondFactors() {
  const client = useQueryClient();
  const [codes, setCodes] = useState<string[] | null>(null);
  const factors = useQuery({
    queryKey: ['account', 'mfa'],
    queryFn: async () => unwrap(await api.GET('/api/v1/auth/mfa')),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['account'] });
  const remove = useMutation({
    mutationFn: async (target: { kind: 'totp' } | { kind: 'passkey'; id: string }) =>
      target.kind === 'totp'
        ? unwrap(await api.DELETE('/api/v1/auth/mfa/totp'))
        : unwrap(await api.DELETE('/api/v1/auth/mfa/passkeys/{id}', { params: { path: { id: target.id } } })),
    onSuccess: refresh,
  });
  const regenerate = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/auth/mfa/recovery-codes')).recoveryCodes,
    onSuccess: (fresh) => {
      setCodes(fresh);
      void refresh();
    },
  });
  const enrolled = (fresh: string[] | null) => {
    if (fresh && fresh.length > 0) setCodes(fresh);
    void refresh();
  };
  if (codes)
    return (
      <Card title="Recovery codes">
        <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />
      </Card>
    );
  return (
    <QueryView query={factors}>
      {(data) => (
        <div className="grid grid-2">
          <Card title="Passkeys">
            <ErrorBanner error={remove.error} />
            <DataTable
              label="Your passkeys"
              rows={data.passkeys}
              rowKey={(p) => p.id}
              empty="No passkey yet."
              columns={[
                { id: 'name', title: 'Name', render: (p) => p.name, isRowHeader: true },
                { id: 'added', title: 'Added', render: (p) => formatDateTime(p.createdAt) },
                { id: 'used', title: 'Last used', render: (p) => formatDateTime(p.lastUsedAt) },
                {
                  id: 'remove',
                  title: '',
                  render: (p) => (
                    <Button
                      className="react-aria-Button small"
                      aria-label={`Remove passkey ${p.name}`}
                      onPress={() => remove.mutate({ kind: 'passkey', id: p.id })}
                    >
                      Remove
                    </Button>
                  ),
                },
              ]}
            />
            <PasskeyEnrollment onEnrolled={enrolled} />
          </Card>
          <Card title="Authenticator app">
            {data.totp ? (
              <div className="row-between">
                <Badge tone="ok">enrolled</Badge>
                <Button className="react-aria-Button small" onPress={() => remove.mutate({ kind: 'totp' })}>
                  Remove
                </Button>
              </div>
            ) : (
              <TotpEnrollment onEnrolled={enrolled} />
            )}
            <h3>Recovery codes</h3>
            <p className="small muted">{data.recoveryCodesLeft} unused code(s) left.</p>
            <ErrorBanner error={regenerate.error} />
            <Button
              className="react-aria-Button small"
              onPress={() => regenerate.mutate()}
              isDisabled={regenerate.isPending}
            >
              Make new recovery codes
            </Button>
            <p className="small muted">Last second-factor use: {formatDateTime(data.lastMfaAt)}</p>
          </Card>
        </div>
      )}
    </QueryView>
  );
}

function Sessions() {
  const client = useQueryClient();
  const sessions = useQuery({
    queryKey: ['account', 'sessions'],
    queryFn: async () => unwrap(await api.GET('/api/v1/auth/sessions')).sessions,
  });
  const revoke = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.DELETE('/api/v1/auth/sessions/{id}', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['account', 'sessions'] }),
  });
  return (
    <Card title="Where you are signed in">
      <ErrorBanner error={revoke.error} />
      <QueryView query={sessions}>
        {(rows) => (
          <DataTable
            label="Your sessions"
            rows={rows}
            rowKey={(s) => s.id}
            columns={[
              {
                id: 'started',
                title: 'Signed in',
                render: (s) => formatDateTime(s.createdAt),
                isRowHeader: true,
              },
              {
                id: 'method',
                title: 'Method',
                render: (s) => <span className="mono small">{s.authMethod}</span>,
              },
              { id: 'seen', title: 'Last active', render: (s) => formatDateTime(s.lastSeenAt) },
              {
                id: 'from',
                title: 'From',
                render: (s) => (
                  <span className="small">{`${s.ip ?? '?'} · ${(s.userAgent ?? '').slice(0, 60)}`}</span>
                ),
              },
              {
                id: 'end',
                title: '',
                render: (s) =>
                  s.current ? (
                    <Badge tone="info">this browser</Badge>
                  ) : (
                    <Button className="react-aria-Button small" onPress={() => revoke.mutate(s.id)}>
                      Sign out
                    </Button>
                  ),
              },
            ]}
          />
        )}
      </QueryView>
    </Card>
  );
}

/** The person's own second factors, recovery codes and sessions. */
export function AccountPage() {
  return (
    <>
      <PageHeader title="Account security" description="Your second factors and where you are signed in." />
      <div className="stack">
        <SecondFactors />
        <Sessions />
      </div>
    </>
  );
}
