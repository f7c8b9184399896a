import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/schema.d.ts';
import { useCan } from '../app/access.ts';
import { FormDialog } from '../ui/dialogs.tsx';
import { Badge, Card, ErrorBanner, PageHeader, QueryView } from '../ui/feedback.tsx';
import { TextInput } from '../ui/fields.tsx';
import { DataTable } from '../ui/table.tsx';

type Policy =
  paths['/api/v1/access/policy']['get']['responses'][200]['content']['application/json']['policy'];
type Zone = Policy['zones'][number];

async function fetchPolicy() {
  return unwrap(await api.GET('/api/v1/access/policy')).policy;
}

function AddZoneDialog(props: {
  isOpen: boolean;
  onOpenChange: (o: boolean) => void;
  onAdd: (z: Zone) => Promise<void>;
}) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [cidrs, setCidrs] = useState('');
  return (
    <FormDialog
      title="Add a network zone"
      isOpen={props.isOpen}
      onOpenChange={props.onOpenChange}
      submitLabel="Add zone"
      onSubmit={async () => {
        const list = cidrs.split(/[\s,]+/).filter(Boolean);
        await props.onAdd({ name, cidrs: list, ...(description ? { description } : {}) });
        setName('');
        setDescription('');
        setCidrs('');
      }}
    >
      <TextInput
        label="Name"
        value={name}
        onChange={setName}
        isRequired
        pattern="[a-z][a-z0-9_\-]{0,39}"
        description="Lowercase letters, digits, dashes"
      />
      <TextInput label="Description" value={description} onChange={setDescription} maxLength={200} />
      <TextInput
        label="CIDR ranges"
        value={cidrs}
        onChange={setCidrs}
        isRequired
        multiline
        description="One or more, separated by spaces or commas: 10.20.0.0/16"
      />
    </FormDialog>
  );
}

/** Network zones and the condition rules that use them; edits replace the whole policy atomically. */
export function ZonesPage() {
  const client = useQueryClient();
  const canManage = useCan('access.manage');
  const [adding, setAdding] = useState(false);
  const policy = useQuery({ queryKey: ['access', 'policy'], queryFn: fetchPolicy });
  const save = useMutation({
    mutationFn: async (next: Policy) => unwrap(await api.PUT('/api/v1/access/policy', { body: next })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['access'] }),
  });
  return (
    <>
      <PageHeader
        title="Network zones"
        description="Where people may open customer data from. Rules below require a zone for some permissions."
        actions={
          canManage ? (
            <Button className="react-aria-Button primary" onPress={() => setAdding(true)}>
              Add zone
            </Button>
          ) : null
        }
      />
      <ErrorBanner error={save.error} />
      <QueryView query={policy}>
        {(data) => (
          <div className="stack">
            <DataTable
              label="Network zones"
              rows={data.zones}
              rowKey={(z) => z.name}
              empty="No network zone defined: access is not limited by network."
              columns={[
                { id: 'name', title: 'Zone', render: (z) => <strong>{z.name}</strong>, isRowHeader: true },
                { id: 'desc', title: 'Description', render: (z) => z.description ?? '—' },
                {
                  id: 'cidrs',
                  title: 'Ranges',
                  render: (z) => <span className="mono small">{z.cidrs.join(', ')}</span>,
                },
                {
                  id: 'actions',
                  title: '',
                  render: (z) =>
                    canManage ? (
                      <Button
                        className="react-aria-Button small"
                        aria-label={`Remove zone ${z.name}`}
                        onPress={() =>
                          save.mutate({ ...data, zones: data.zones.filter((x) => x.name !== z.name) })
                        }
                      >
                        Remove
                      </Button>
                    ) : null,
                },
              ]}
            />
            <Card title="Condition rules">
              {data.rules.length === 0 ? (
                <p className="muted">No condition rule.</p>
              ) : (
                <ul>
                  {data.rules.map((rule, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: rules are an ordered list without ids
                    <li key={i}>
                      <span className="mono">{rule.target}</span>
                      {rule.zones ? ` from zones ${rule.zones.join(', ')}` : ''}
                      {rule.device ? ' · compliant device' : ''}
                      {rule.workforce ? ' · workforce checks' : ''}
                      {rule.stepUp ? ' · step-up' : ''}
                    </li>
                  ))}
                </ul>
              )}
              <p className="small muted">
                Step-up window: <Badge>{Math.round(data.stepUpSeconds / 60)} min</Badge>
              </p>
            </Card>
            <AddZoneDialog
              isOpen={adding}
              onOpenChange={setAdding}
              onAdd={async (zone) => {
                await save.mutateAsync({ ...data, zones: [...data.zones, zone] });
              }}
            />
          </div>
        )}
      </QueryView>
    </>
  );
}
