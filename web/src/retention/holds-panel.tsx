import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import { FormDialog } from '../ui/dialogs.tsx';
import { Badge, ErrorBanner, QueryView } from '../ui/feedback.tsx';
import { SelectInput, TextInput } from '../ui/fields.tsx';
import { formatDateTime } from '../ui/format.ts';
import { DataTable } from '../ui/table.tsx';
import type { Hold, HoldBody } from './retention-types.ts';

type Target = 'email' | 'phone' | 'interactions';

function PlaceHoldDialog(props: { isOpen: boolean; onOpenChange: (o: boolean) => void }) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [reason, setReason] = useState('');
  const [owner, setOwner] = useState('');
  const [target, setTarget] = useState<Target>('email');
  const [value, setValue] = useState('');
  function scope(): Pick<HoldBody, 'customer' | 'interactionIds'> {
    if (target === 'interactions') return { interactionIds: value.split(/[\s,]+/).filter(Boolean) };
    return { customer: target === 'email' ? { email: value.trim() } : { phone: value.trim() } };
  }
  return (
    <FormDialog
      title="Place a legal hold"
      isOpen={props.isOpen}
      onOpenChange={props.onOpenChange}
      submitLabel="Place hold"
      onSubmit={async () => {
        unwrap(await api.POST('/api/v1/retention/holds', { body: { name, reason, owner, ...scope() } }));
        setValue('');
        await client.invalidateQueries({ queryKey: ['retention'] });
      }}
    >
      <TextInput
        label="Name"
        value={name}
        onChange={setName}
        isRequired
        minLength={3}
        maxLength={200}
        placeholder="Smith v. Northwind"
      />
      <TextInput
        label="Reason"
        value={reason}
        onChange={setReason}
        isRequired
        minLength={5}
        maxLength={500}
        multiline
      />
      <TextInput
        label="Owner"
        value={owner}
        onChange={setOwner}
        isRequired
        minLength={2}
        description="Who answers for the hold"
      />
      <SelectInput
        label="Hold"
        value={target}
        onChange={(v) => setTarget(v === 'phone' || v === 'interactions' ? v : 'email')}
        options={[
          { id: 'email', label: 'Everything about a customer, by email' },
          { id: 'phone', label: 'Everything about a customer, by phone' },
          { id: 'interactions', label: 'Listed interactions' },
        ]}
      />
      <TextInput
        label={
          target === 'interactions'
            ? 'Interaction ids'
            : target === 'email'
              ? 'Customer email'
              : 'Customer phone'
        }
        value={value}
        onChange={setValue}
        isRequired
        description="Matched through a blind index; Vigil does not store it in the clear"
      />
    </FormDialog>
  );
}

/** Legal holds: data under a hold is never purged or erased until the hold is released. */
export function HoldsPanel({ canManage }: { canManage: boolean }) {
  const client = useQueryClient();
  const [placing, setPlacing] = useState(false);
  const [releasing, setReleasing] = useState<Hold | null>(null);
  const [reason, setReason] = useState('');
  const holds = useQuery({
    queryKey: ['retention', 'holds'],
    queryFn: async () => unwrap(await api.GET('/api/v1/retention/holds')).holds,
  });
  const release = useMutation({
    mutationFn: async (hold: Hold) =>
      unwrap(
        await api.POST('/api/v1/retention/holds/{id}/release', {
          params: { path: { id: hold.id } },
          body: { reason },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['retention'] }),
  });
  return (
    <div className="stack">
      {canManage ? (
        <div className="row">
          <Button className="react-aria-Button primary" onPress={() => setPlacing(true)}>
            Place a legal hold
          </Button>
        </div>
      ) : null}
      <QueryView query={holds}>
        {(rows) => (
          <DataTable
            label="Legal holds"
            rows={rows}
            rowKey={(h) => h.id}
            empty="No legal hold."
            columns={[
              { id: 'name', title: 'Hold', render: (h) => <strong>{h.name}</strong>, isRowHeader: true },
              {
                id: 'state',
                title: 'State',
                render: (h) => (
                  <Badge tone={h.active ? 'warn' : 'neutral'}>{h.active ? 'active' : 'released'}</Badge>
                ),
              },
              {
                id: 'kind',
                title: 'On',
                render: (h) => `${h.kind} (${h.items} item${h.items === 1 ? '' : 's'})`,
              },
              { id: 'owner', title: 'Owner', render: (h) => h.owner },
              { id: 'reason', title: 'Reason', render: (h) => <span className="small">{h.reason}</span> },
              { id: 'created', title: 'Placed', render: (h) => formatDateTime(Date.parse(h.createdAt)) },
              {
                id: 'release',
                title: '',
                render: (h) =>
                  canManage && h.active ? (
                    <Button
                      className="react-aria-Button small"
                      aria-label={`Release hold ${h.name}`}
                      onPress={() => setReleasing(h)}
                    >
                      Release
                    </Button>
                  ) : null,
              },
            ]}
          />
        )}
      </QueryView>
      <PlaceHoldDialog isOpen={placing} onOpenChange={setPlacing} />
      <FormDialog
        title={releasing ? `Release ${releasing.name}` : 'Release'}
        isOpen={releasing !== null}
        onOpenChange={(open) => (open ? null : setReleasing(null))}
        submitLabel="Release hold"
        tone="danger"
        onSubmit={async () => {
          if (releasing) await release.mutateAsync(releasing);
          setReason('');
        }}
      >
        <p>Held data follows its retention policy again, and may be purged at the next run.</p>
        <ErrorBanner error={release.error} />
        <TextInput
          label="Reason"
          value={reason}
          onChange={setReason}
          isRequired
          minLength={5}
          maxLength={500}
        />
      </FormDialog>
    </div>
  );
}
