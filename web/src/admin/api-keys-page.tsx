import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/schema.d.ts';
import { FormDialog } from '../ui/dialogs.tsx';
import { Badge, Card, ErrorBanner, Notice, PageHeader, QueryView } from '../ui/feedback.tsx';
import { CheckboxInput, TextInput } from '../ui/fields.tsx';
import { formatDateTime } from '../ui/format.ts';
import { DataTable } from '../ui/table.tsx';

type CreateBody = paths['/api/v1/api-keys']['post']['requestBody'] extends {
  content: { 'application/json': infer B };
}
  ? B
  : never;
type Scope = CreateBody['scopes'][number];
type ApiKey =
  paths['/api/v1/api-keys']['get']['responses'][200]['content']['application/json']['apiKeys'][number];

const SCOPES: { id: Scope; label: string }[] = [
  { id: 'ingest', label: 'ingest: send interactions and recordings' },
  { id: 'audit.read', label: 'audit.read: read the audit log (SIEM)' },
];

function CreateKeyDialog(props: {
  isOpen: boolean;
  onOpenChange: (o: boolean) => void;
  onCreated: (secret: string) => void;
}) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Set<Scope>>(new Set(['ingest']));
  const [days, setDays] = useState('90');
  return (
    <FormDialog
      title="Create an API key"
      isOpen={props.isOpen}
      onOpenChange={props.onOpenChange}
      submitLabel="Create key"
      onSubmit={async () => {
        const expiresAt = days ? Date.now() + Number(days) * 86_400_000 : null;
        const created = unwrap(
          await api.POST('/api/v1/api-keys', { body: { name, scopes: [...scopes], expiresAt } }),
        );
        setName('');
        props.onCreated(created.secret);
      }}
    >
      <TextInput
        label="Name"
        value={name}
        onChange={setName}
        isRequired
        maxLength={100}
        placeholder="Amazon Connect ingest"
      />
      <fieldset className="stack">
        <legend className="react-aria-Label">Scopes</legend>
        {SCOPES.map((scope) => (
          <CheckboxInput
            key={scope.id}
            isSelected={scopes.has(scope.id)}
            onChange={(on) =>
              setScopes((s) => {
                const next = new Set(s);
                if (on) next.add(scope.id);
                else next.delete(scope.id);
                return next;
              })
            }
          >
            {scope.label}
          </CheckboxInput>
        ))}
      </fieldset>
      <TextInput
        label="Expires after (days)"
        type="number"
        value={days}
        onChange={setDays}
        description="Leave empty for no expiry"
      />
    </FormDialog>
  );
}

/** Integration keys: scoped, expiring, shown once, revocable, last use tracked. */
export function ApiKeysPage() {
  const client = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const keys = useQuery({
    queryKey: ['api-keys'],
    queryFn: async () => unwrap(await api.GET('/api/v1/api-keys')).apiKeys,
  });
  const revoke = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys for platforms and SIEMs. Vigil stores only a hash: a lost key is revoked and replaced."
        actions={
          <Button className="react-aria-Button primary" onPress={() => setCreating(true)}>
            Create key
          </Button>
        }
      />
      {secret ? (
        <Card title="Your new key">
          <Notice tone="warn">Copy it now: it is shown only once.</Notice>
          <p className="secret-box" data-testid="api-key-secret">
            {secret}
          </p>
          <Button onPress={() => setSecret(null)}>I have stored it</Button>
        </Card>
      ) : null}
      <ErrorBanner error={revoke.error} />
      <QueryView query={keys}>
        {(rows) => (
          <DataTable<ApiKey>
            label="API keys"
            rows={rows}
            rowKey={(k) => k.id}
            empty="No API key."
            columns={[
              { id: 'name', title: 'Name', render: (k) => <strong>{k.name}</strong>, isRowHeader: true },
              { id: 'prefix', title: 'Key', render: (k) => <span className="mono small">{k.prefix}…</span> },
              {
                id: 'scopes',
                title: 'Scopes',
                render: (k) => k.scopes.map((s) => <Badge key={s}>{s}</Badge>),
              },
              { id: 'created', title: 'Created', render: (k) => formatDateTime(k.createdAt) },
              {
                id: 'expires',
                title: 'Expires',
                render: (k) => (k.expiresAt ? formatDateTime(k.expiresAt) : 'never'),
              },
              { id: 'used', title: 'Last used', render: (k) => formatDateTime(k.lastUsedAt) },
              {
                id: 'state',
                title: 'State',
                render: (k) =>
                  k.revokedAt ? (
                    <Badge tone="danger">revoked</Badge>
                  ) : (
                    <Button
                      className="react-aria-Button small"
                      aria-label={`Revoke ${k.name}`}
                      onPress={() => revoke.mutate(k.id)}
                    >
                      Revoke
                    </Button>
                  ),
              },
            ]}
          />
        )}
      </QueryView>
      <CreateKeyDialog
        isOpen={creating}
        onOpenChange={setCreating}
        onCreated={(value) => {
          setSecret(value);
          void client.invalidateQueries({ queryKey: ['api-keys'] });
        }}
      />
    </>
  );
}
