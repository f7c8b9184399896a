import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/schema.d.ts';
import { useCan } from '../app/access.ts';
import { FormDialog } from '../ui/dialogs.tsx';
import { Badge, ErrorBanner, PageHeader, QueryView, type Tone } from '../ui/feedback.tsx';
import { SelectInput, TextInput } from '../ui/fields.tsx';
import { formatDateTime } from '../ui/format.ts';
import { type ColumnDef, DataTable } from '../ui/table.tsx';

type ListResponse =
  paths['/api/v1/access/elevations']['get']['responses'][200]['content']['application/json'];
type Elevation = ListResponse['elevations'][number];

const STATUS_TONE: Record<Elevation['status'], Tone> = {
  pending: 'warn',
  approved: 'ok',
  denied: 'danger',
  expired: 'neutral',
  revoked: 'neutral',
  lapsed: 'neutral',
};

function RequestDialog(props: { isOpen: boolean; onOpenChange: (o: boolean) => void; onDone: () => void }) {
  const roles = useQuery({
    queryKey: ['access', 'roles', 'names'],
    queryFn: async () => unwrap(await api.GET('/api/v1/access/roles')).roles,
    enabled: props.isOpen,
    retry: false,
  });
  const [role, setRole] = useState('');
  const [minutes, setMinutes] = useState('60');
  const [reason, setReason] = useState('');
  const options = (roles.data ?? []).map((r) => ({ id: r.name, label: r.displayName }));
  return (
    <FormDialog
      title="Request temporary access"
      isOpen={props.isOpen}
      onOpenChange={props.onOpenChange}
      submitLabel="Send request"
      onSubmit={async () => {
        unwrap(
          await api.POST('/api/v1/access/elevations', { body: { role, minutes: Number(minutes), reason } }),
        );
        setReason('');
        props.onDone();
      }}
    >
      {options.length > 0 ? (
        <SelectInput label="Role" options={options} value={role} onChange={setRole} isRequired />
      ) : (
        <TextInput
          label="Role name"
          value={role}
          onChange={setRole}
          isRequired
          description="For example supervisor"
        />
      )}
      <TextInput
        label="Minutes"
        type="number"
        value={minutes}
        onChange={setMinutes}
        isRequired
        description="5 to 1440"
      />
      <TextInput
        label="Reason"
        value={reason}
        onChange={setReason}
        isRequired
        minLength={10}
        maxLength={500}
        multiline
      />
    </FormDialog>
  );
}

/** Just-in-time elevation: ask for a role for a while; approvers decide; everything is audited. */
export function ElevationsPage() {
  const client = useQueryClient();
  const canApprove = useCan('access.elevate.approve');
  const [requesting, setRequesting] = useState(false);
  const [denying, setDenying] = useState<Elevation | null>(null);
  const [note, setNote] = useState('');
  const list = useQuery({
    queryKey: ['access', 'elevations', canApprove],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/access/elevations', {
          params: { query: { all: canApprove ? 'true' : 'false', limit: 100 } },
        }),
      ),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['access'] });
  const approve = useMutation({
    mutationFn: async (id: string) =>
      unwrap(
        await api.POST('/api/v1/access/elevations/{id}/approve', { params: { path: { id } }, body: {} }),
      ),
    onSuccess: refresh,
  });
  const revoke = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.POST('/api/v1/access/elevations/{id}/revoke', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const columns: ColumnDef<Elevation>[] = [
    { id: 'who', title: 'Person', render: (e) => <strong>{e.userName}</strong>, isRowHeader: true },
    { id: 'what', title: 'Asked for', render: (e) => <span className="mono">{`${e.kind}: ${e.name}`}</span> },
    { id: 'for', title: 'Duration', render: (e) => `${e.minutes} min` },
    { id: 'reason', title: 'Reason', render: (e) => <span className="small">{e.reason}</span> },
    {
      id: 'status',
      title: 'Status',
      render: (e) => (
        <span className="row">
          <Badge tone={STATUS_TONE[e.status]}>{e.status}</Badge>
          {e.breakGlass ? <Badge tone="danger">break-glass</Badge> : null}
        </span>
      ),
    },
    { id: 'when', title: 'Requested', render: (e) => formatDateTime(Date.parse(e.requestedAt)) },
    {
      id: 'until',
      title: 'Expires',
      render: (e) => (e.expiresAt ? formatDateTime(Date.parse(e.expiresAt)) : '—'),
    },
    {
      id: 'act',
      title: '',
      render: (e) => (
        <span className="row">
          {e.status === 'pending' && canApprove ? (
            <>
              <Button
                className="react-aria-Button small primary"
                aria-label={`Approve ${e.userName}`}
                onPress={() => approve.mutate(e.id)}
              >
                Approve
              </Button>
              <Button
                className="react-aria-Button small"
                aria-label={`Deny ${e.userName}`}
                onPress={() => setDenying(e)}
              >
                Deny
              </Button>
            </>
          ) : null}
          {e.status === 'approved' ? (
            <Button
              className="react-aria-Button small"
              aria-label={`End now: ${e.userName}`}
              onPress={() => revoke.mutate(e.id)}
            >
              End now
            </Button>
          ) : null}
        </span>
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title="Just-in-time access"
        description="Temporary roles instead of standing privilege. Requests need an approver other than the requester."
        actions={
          <Button className="react-aria-Button primary" onPress={() => setRequesting(true)}>
            Request access
          </Button>
        }
      />
      <ErrorBanner error={approve.error ?? revoke.error} />
      <QueryView query={list}>
        {(data) => (
          <DataTable
            label="Elevation requests"
            columns={columns}
            rows={data.elevations}
            rowKey={(e) => e.id}
            empty="No elevation request."
          />
        )}
      </QueryView>
      <RequestDialog isOpen={requesting} onOpenChange={setRequesting} onDone={() => void refresh()} />
      <FormDialog
        title={denying ? `Deny ${denying.userName}'s request` : 'Deny'}
        isOpen={denying !== null}
        onOpenChange={(open) => (open ? null : setDenying(null))}
        submitLabel="Deny"
        tone="danger"
        onSubmit={async () => {
          if (!denying) return;
          unwrap(
            await api.POST('/api/v1/access/elevations/{id}/deny', {
              params: { path: { id: denying.id } },
              body: { note },
            }),
          );
          setNote('');
          await refresh();
        }}
      >
        <TextInput
          label="Why"
          value={note}
          onChange={setNote}
          isRequired
          minLength={3}
          maxLength={500}
          multiline
        />
      </FormDialog>
    </>
  );
}
