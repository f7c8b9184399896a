import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import { FormDialog } from '../ui/dialogs.tsx';
import { Badge, Card, ErrorBanner, QueryView } from '../ui/feedback.tsx';
import { SelectInput, TextInput } from '../ui/fields.tsx';
import { humanize } from '../ui/format.ts';
import { DataTable } from '../ui/table.tsx';
import { CATEGORIES, type Category, type Evaluation } from './retention-types.ts';

type Scope = Evaluation['scopes'][number];

function bound(b: Scope['minimum']): string {
  return b ? `${b.days} days (${b.pack}, ${b.cite})` : '—';
}

function PolicyDialog(props: {
  categories: Category[];
  isOpen: boolean;
  onOpenChange: (o: boolean) => void;
}) {
  const client = useQueryClient();
  const [category, setCategory] = useState<string>(props.categories[0] ?? '');
  const [days, setDays] = useState('365');
  const [action, setAction] = useState<'delete' | 'anonymize'>('delete');
  return (
    <FormDialog
      title="Set a retention policy"
      isOpen={props.isOpen}
      onOpenChange={props.onOpenChange}
      submitLabel="Save policy"
      onSubmit={async () => {
        unwrap(
          await api.PUT('/api/v1/retention/policies', {
            body: { category: category as Category, maxAgeDays: Number(days), action, jurisdiction: null },
          }),
        );
        await client.invalidateQueries({ queryKey: ['retention'] });
      }}
    >
      <SelectInput
        label="Data category"
        value={category}
        onChange={setCategory}
        options={props.categories.map((c) => ({ id: c, label: humanize(c) }))}
      />
      <TextInput label="Keep for (days)" type="number" value={days} onChange={setDays} isRequired />
      <SelectInput
        label="Then"
        value={action}
        onChange={(v) => setAction(v === 'anonymize' ? 'anonymize' : 'delete')}
        options={[
          { id: 'delete', label: 'Delete' },
          { id: 'anonymize', label: 'Anonymize (interactions only)' },
        ]}
      />
      <p className="small muted">
        A policy shorter than a legal minimum, or longer than a legal maximum, is refused with the rule it
        breaks.
      </p>
    </FormDialog>
  );
}

/** Policies per data category and, per scope, the legal bounds from the jurisdiction packs. */
export function PoliciesPanel({ canManage }: { canManage: boolean }) {
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const evaluation = useQuery({
    queryKey: ['retention', 'policies'],
    queryFn: async () => unwrap(await api.GET('/api/v1/retention/policies')),
  });
  const remove = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.DELETE('/api/v1/retention/policies/{id}', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['retention'] }),
  });
  return (
    <QueryView query={evaluation}>
      {(data) => (
        <div className="stack">
          <Card
            title="Policies"
            actions={
              canManage ? (
                <Button className="react-aria-Button primary" onPress={() => setEditing(true)}>
                  Set a policy
                </Button>
              ) : null
            }
          >
            <p className="small muted">
              Jurisdiction packs: {data.assignment.tenantPacks.join(', ') || 'none'}
              {data.assignment.segments.map((s) => ` · ${s.name}: ${s.packs.join(', ')}`).join('')}
            </p>
            <ErrorBanner error={remove.error} />
            <DataTable
              label="Retention policies"
              rows={data.policies}
              rowKey={(p) => p.id}
              empty="No retention policy: data is kept until a person deletes it."
              columns={[
                { id: 'category', title: 'Category', render: (p) => humanize(p.category), isRowHeader: true },
                { id: 'jurisdiction', title: 'For', render: (p) => p.jurisdiction ?? 'every customer' },
                { id: 'age', title: 'Kept for', render: (p) => `${p.maxAgeDays} days` },
                { id: 'action', title: 'Then', render: (p) => <Badge>{p.action}</Badge> },
                {
                  id: 'remove',
                  title: '',
                  render: (p) =>
                    canManage ? (
                      <Button
                        className="react-aria-Button small"
                        aria-label={`Remove policy ${humanize(p.category)}`}
                        onPress={() => remove.mutate(p.id)}
                      >
                        Remove
                      </Button>
                    ) : null,
                },
              ]}
            />
          </Card>
          <Card title="Legal bounds by scope">
            <DataTable
              label="Legal bounds"
              rows={data.scopes}
              rowKey={(s) => `${s.scope}:${s.category}`}
              empty="No jurisdiction pack assigned."
              columns={[
                { id: 'scope', title: 'Scope', render: (s) => s.scope, isRowHeader: true },
                { id: 'category', title: 'Category', render: (s) => humanize(s.category) },
                {
                  id: 'min',
                  title: 'Keep at least',
                  render: (s) => <span className="small">{bound(s.minimum)}</span>,
                },
                {
                  id: 'max',
                  title: 'Keep at most',
                  render: (s) => <span className="small">{bound(s.maximum)}</span>,
                },
                {
                  id: 'issues',
                  title: 'Issues',
                  render: (s) =>
                    s.conflicts.length + s.gaps.length === 0 ? (
                      <Badge tone="ok">ok</Badge>
                    ) : (
                      <span className="small">
                        {[...s.conflicts.map((c) => c.message), ...s.gaps.map((g) => g.message)].join(' · ')}
                      </span>
                    ),
                },
              ]}
            />
          </Card>
          <PolicyDialog categories={[...CATEGORIES]} isOpen={editing} onOpenChange={setEditing} />
        </div>
      )}
    </QueryView>
  );
}
