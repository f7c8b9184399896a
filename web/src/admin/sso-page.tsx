import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import { FormDialog } from '../ui/dialogs.tsx';
import { Badge, Card, ErrorBanner, PageHeader, QueryView } from '../ui/feedback.tsx';
import { DataTable } from '../ui/table.tsx';
import { bodyOf, formatGroupRoles, type Provider, SsoProviderEditor } from './sso-provider-editor.tsx';

/**
 * The tenant's OpenID Connect providers. Changes need a fresh second factor (the step-up dialog
 * opens when the server asks); the client secret is write-only and never comes back.
 */
export function SsoPage() {
  const client = useQueryClient();
  const [editing, setEditing] = useState<Provider | null | 'new'>(null);
  const [removing, setRemoving] = useState<Provider | null>(null);
  const query = useQuery({
    queryKey: ['sso', 'providers'],
    queryFn: async () => unwrap(await api.GET('/api/v1/sso/providers')),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['sso'] });
  const toggle = useMutation({
    mutationFn: async (p: Provider) =>
      unwrap(
        await api.PUT('/api/v1/sso/providers/{slug}', {
          params: { path: { slug: p.slug } },
          body: bodyOf(p, { enabled: !p.enabled }),
        }),
      ),
    onSuccess: refresh,
  });
  return (
    <>
      <PageHeader
        title="Single sign-on"
        description="OpenID Connect identity providers for this tenant. Enabled ones are offered on the sign-in page."
        actions={
          <Button className="react-aria-Button primary" onPress={() => setEditing('new')}>
            Add provider
          </Button>
        }
      />
      <ErrorBanner error={toggle.error} />
      <QueryView query={query}>
        {(data) => (
          <div className="stack">
            <Card title="Redirect URI to register at the identity provider">
              <p className="mono small break" data-testid="sso-callback-url">
                {data.callbackUrl}
              </p>
            </Card>
            <DataTable
              label="Identity providers"
              rows={data.providers}
              rowKey={(p) => p.id}
              empty="No identity provider: people sign in with a password and a second factor."
              columns={[
                {
                  id: 'name',
                  title: 'Provider',
                  isRowHeader: true,
                  render: (p) => (
                    <>
                      <strong>{p.displayName}</strong>
                      <div className="mono small muted">{p.slug}</div>
                    </>
                  ),
                },
                {
                  id: 'issuer',
                  title: 'Issuer and client',
                  render: (p) => (
                    <span className="small break">
                      {p.issuer}
                      <div className="mono muted">{p.clientId}</div>
                    </span>
                  ),
                },
                {
                  id: 'secret',
                  title: 'Client secret',
                  render: (p) => (
                    <Badge tone={p.hasClientSecret ? 'ok' : 'neutral'}>
                      {p.hasClientSecret ? 'stored, sealed' : 'public client'}
                    </Badge>
                  ),
                },
                {
                  id: 'roles',
                  title: 'Group mapping',
                  render: (p) => (
                    <span className="mono small pre-line">{formatGroupRoles(p.groupRoles) || '—'}</span>
                  ),
                },
                {
                  id: 'status',
                  title: 'Status',
                  render: (p) => (
                    <span className="row">
                      <Badge tone={p.enabled ? 'ok' : 'warn'}>{p.enabled ? 'enabled' : 'disabled'}</Badge>
                      {p.jitProvisioning ? <Badge tone="info">JIT</Badge> : null}
                    </span>
                  ),
                },
                {
                  id: 'actions',
                  title: 'Actions',
                  render: (p) => (
                    <span className="row">
                      <Button
                        className="react-aria-Button small"
                        aria-label={`Edit ${p.displayName}`}
                        onPress={() => setEditing(p)}
                      >
                        Edit
                      </Button>
                      <Button
                        className="react-aria-Button small"
                        aria-label={`${p.enabled ? 'Disable' : 'Enable'} ${p.displayName}`}
                        isDisabled={toggle.isPending}
                        onPress={() => toggle.mutate(p)}
                      >
                        {p.enabled ? 'Disable' : 'Enable'}
                      </Button>
                      <Button
                        className="react-aria-Button small"
                        aria-label={`Remove ${p.displayName}`}
                        onPress={() => setRemoving(p)}
                      >
                        Remove
                      </Button>
                    </span>
                  ),
                },
              ]}
            />
          </div>
        )}
      </QueryView>
      {editing === null ? null : (
        <SsoProviderEditor
          key={editing === 'new' ? '' : editing.id}
          provider={editing === 'new' ? null : editing}
          isOpen
          onOpenChange={(open) => (open ? null : setEditing(null))}
          onSaved={refresh}
        />
      )}
      <FormDialog
        title={removing ? `Remove ${removing.displayName}` : 'Remove provider'}
        isOpen={removing !== null}
        onOpenChange={(open) => (open ? null : setRemoving(null))}
        submitLabel="Remove provider"
        tone="danger"
        onSubmit={async () => {
          if (!removing) return;
          unwrap(await api.DELETE('/api/v1/sso/providers/{id}', { params: { path: { id: removing.id } } }));
          await refresh();
        }}
      >
        <p>
          Its sessions end at the next check with the provider, and people it signed in need a password to
          come back. Disabling keeps the settings instead.
        </p>
      </FormDialog>
    </>
  );
}
