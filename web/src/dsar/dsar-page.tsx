import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/schema.d.ts';
import { FormDialog } from '../ui/dialogs.tsx';
import { Badge, Card, ErrorBanner, Notice, PageHeader, QueryView, type Tone } from '../ui/feedback.tsx';
import { SelectInput, TextInput } from '../ui/fields.tsx';
import { formatDate, formatDateTime } from '../ui/format.ts';
import { DataTable } from '../ui/table.tsx';

type DsarCase =
  paths['/api/v1/dsar/cases']['get']['responses'][200]['content']['application/json']['cases'][number];

const STATUS_TONE: Record<DsarCase['status'], Tone> = {
  open: 'info',
  awaiting: 'warn',
  completed: 'ok',
  rejected: 'neutral',
};

function dueText(c: DsarCase): string {
  const due = c.effectiveDueAt ?? c.dueAt;
  if (!due) return '—';
  const left = c.daysLeft === null ? '' : c.overdue ? ' (overdue)' : ` (${c.daysLeft} days left)`;
  return `${formatDate(Date.parse(due))}${c.status === 'open' || c.status === 'awaiting' ? left : ''}`;
}

function OpenCaseDialog(props: { isOpen: boolean; onOpenChange: (o: boolean) => void }) {
  const client = useQueryClient();
  const [kind, setKind] = useState<'access' | 'erasure'>('access');
  const [by, setBy] = useState<'email' | 'phone'>('email');
  const [value, setValue] = useState('');
  const [region, setRegion] = useState('');
  return (
    <FormDialog
      title="Open a data subject request"
      isOpen={props.isOpen}
      onOpenChange={props.onOpenChange}
      submitLabel="Open request"
      onSubmit={async () => {
        const who = by === 'email' ? { email: value.trim() } : { phone: value.trim() };
        unwrap(
          await api.POST('/api/v1/dsar/cases', { body: { kind, ...who, ...(region ? { region } : {}) } }),
        );
        setValue('');
        await client.invalidateQueries({ queryKey: ['dsar'] });
      }}
    >
      <SelectInput
        label="Request"
        value={kind}
        onChange={(v) => setKind(v === 'erasure' ? 'erasure' : 'access')}
        options={[
          { id: 'access', label: 'Access: a copy of everything held' },
          { id: 'erasure', label: 'Erasure: delete what the law allows' },
        ]}
      />
      <SelectInput
        label="Customer identified by"
        value={by}
        onChange={(v) => setBy(v === 'phone' ? 'phone' : 'email')}
        options={[
          { id: 'email', label: 'Email' },
          { id: 'phone', label: 'Phone' },
        ]}
      />
      <TextInput label={by === 'email' ? 'Email' : 'Phone'} value={value} onChange={setValue} isRequired />
      <TextInput
        label="Region"
        value={region}
        onChange={setRegion}
        description="Region code such as FR or CA-QC: decides the deadline"
      />
    </FormDialog>
  );
}

/** Saves an export as a file: a blob download, never a navigation to the API. */
function download(filename: string, contentType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: contentType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function CaseActions({ item }: { item: DsarCase }) {
  const client = useQueryClient();
  const path = { params: { path: { id: item.id } } };
  const act = useMutation({
    mutationFn: async (action: 'export' | 'erase' | 'complete') => {
      if (action === 'export') {
        const file = unwrap(
          await api.GET('/api/v1/dsar/cases/{id}/export', {
            ...path,
            params: { ...path.params, query: { format: 'html' } },
          }),
        );
        download(file.filename, file.contentType, file.content);
      }
      if (action === 'erase') unwrap(await api.POST('/api/v1/dsar/cases/{id}/erase', path));
      if (action === 'complete')
        unwrap(await api.POST('/api/v1/dsar/cases/{id}/close', { ...path, body: { outcome: 'completed' } }));
      return action;
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['dsar'] }),
  });
  const open = item.status === 'open' || item.status === 'awaiting';
  return (
    <span className="row">
      {item.kind === 'access' ? (
        <Button
          className="react-aria-Button small"
          aria-label={`Export data of request ${item.identifiedBy}`}
          onPress={() => act.mutate('export')}
        >
          Export
        </Button>
      ) : null}
      {item.kind === 'erasure' && open ? (
        <Button
          className="react-aria-Button small danger"
          aria-label={`Erase data of request ${item.identifiedBy}`}
          onPress={() => act.mutate('erase')}
        >
          Erase
        </Button>
      ) : null}
      {open ? (
        <Button
          className="react-aria-Button small"
          aria-label={`Complete request ${item.identifiedBy}`}
          onPress={() => act.mutate('complete')}
        >
          Complete
        </Button>
      ) : null}
      {act.error ? <ErrorBanner error={act.error} /> : null}
    </span>
  );
}

/** Data subject requests (access and erasure) with their legal due dates. */
export function DsarPage() {
  const [opening, setOpening] = useState(false);
  const cases = useQuery({
    queryKey: ['dsar'],
    queryFn: async () => unwrap(await api.GET('/api/v1/dsar/cases')).cases,
  });
  return (
    <>
      <PageHeader
        title="Data subject requests"
        description="Access and erasure requests; due dates come from the customer's jurisdiction."
        actions={
          <Button className="react-aria-Button primary" onPress={() => setOpening(true)}>
            Open a request
          </Button>
        }
      />
      <QueryView query={cases}>
        {(rows) => (
          <div className="stack">
            {rows.some((c) => c.overdue) ? (
              <Notice tone="error">Some requests are past their legal due date.</Notice>
            ) : null}
            <Card>
              <DataTable
                label="Data subject requests"
                rows={rows}
                rowKey={(c) => c.id}
                empty="No data subject request."
                columns={[
                  { id: 'who', title: 'Customer', render: (c) => c.identifiedBy, isRowHeader: true },
                  { id: 'kind', title: 'Request', render: (c) => <Badge>{c.kind}</Badge> },
                  {
                    id: 'status',
                    title: 'Status',
                    render: (c) => (
                      <Badge tone={c.overdue ? 'danger' : STATUS_TONE[c.status]}>
                        {c.overdue ? 'overdue' : c.status}
                      </Badge>
                    ),
                  },
                  {
                    id: 'received',
                    title: 'Received',
                    render: (c) => formatDateTime(Date.parse(c.receivedAt)),
                  },
                  { id: 'due', title: 'Due', render: dueText },
                  { id: 'actions', title: '', render: (c) => <CaseActions item={c} /> },
                ]}
              />
            </Card>
          </div>
        )}
      </QueryView>
      <OpenCaseDialog isOpen={opening} onOpenChange={setOpening} />
    </>
  );
}
