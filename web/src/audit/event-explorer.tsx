import { useInfiniteQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import { Badge, ErrorBanner, Loading } from '../ui/feedback.tsx';
import { SelectInput, TextInput } from '../ui/fields.tsx';
import { formatDateTime } from '../ui/format.ts';
import { type ColumnDef, DataTable } from '../ui/table.tsx';

type AuditEvent = Awaited<ReturnType<typeof fetchEvents>>['events'][number];

interface Filters {
  action: string;
  actor: string;
  targetType: string;
  targetId: string;
  outcome: '' | 'success' | 'failure' | 'denied';
  from: string;
  to: string;
}

const EMPTY: Filters = { action: '', actor: '', targetType: '', targetId: '', outcome: '', from: '', to: '' };

async function fetchEvents(filters: Filters, cursor: string | undefined) {
  const query = {
    limit: 50,
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.actor ? { actor: filters.actor } : {}),
    ...(filters.targetType ? { targetType: filters.targetType } : {}),
    ...(filters.targetId ? { targetId: filters.targetId } : {}),
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
    ...(filters.from ? { from: new Date(filters.from).toISOString() } : {}),
    ...(filters.to ? { to: new Date(filters.to).toISOString() } : {}),
    ...(cursor ? { cursor } : {}),
  };
  return unwrap(await api.GET('/api/v1/audit/events', { params: { query } }));
}

function outcomeTone(outcome: string) {
  return outcome === 'success' ? 'ok' : outcome === 'denied' ? 'danger' : 'warn';
}

function detailsText(event: AuditEvent): string {
  const parts = Object.entries(event.details ?? {}).map(([key, value]) => `${key}: ${String(value)}`);
  if (event.reason) parts.unshift(`reason: ${event.reason}`);
  return parts.join(' · ');
}

const COLUMNS: ColumnDef<AuditEvent>[] = [
  { id: 'seq', title: '#', render: (e) => <span className="mono">{e.seq}</span> },
  { id: 'time', title: 'Time', render: (e) => formatDateTime(Date.parse(e.occurredAt)) },
  {
    id: 'action',
    title: 'Action',
    render: (e) => <span className="mono">{e.action}</span>,
    isRowHeader: true,
  },
  {
    id: 'outcome',
    title: 'Outcome',
    render: (e) => <Badge tone={outcomeTone(e.outcome)}>{e.outcome}</Badge>,
  },
  { id: 'actor', title: 'Actor', render: (e) => e.actor.name ?? `${e.actor.type}:${e.actor.id}` },
  {
    id: 'target',
    title: 'Target',
    render: (e) =>
      e.target?.type ? <span className="mono small">{`${e.target.type}:${e.target.id ?? ''}`}</span> : '—',
  },
  { id: 'details', title: 'Details', render: (e) => <span className="small">{detailsText(e)}</span> },
  { id: 'ip', title: 'Origin', render: (e) => <span className="small">{e.origin.ip ?? '—'}</span> },
];

const OUTCOMES = [
  { id: '', label: 'Any outcome' },
  { id: 'success', label: 'Success' },
  { id: 'failure', label: 'Failure' },
  { id: 'denied', label: 'Denied' },
] as const;

/** Filterable, paged list of audit events (the server pages by cursor, newest first). */
export function EventExplorer() {
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const events = useInfiniteQuery({
    queryKey: ['audit', 'events', filters],
    queryFn: ({ pageParam }) => fetchEvents(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const set = (key: keyof Filters) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));
  function apply(event: FormEvent) {
    event.preventDefault();
    // Searching again with the same filters must still fetch: new interactions may have arrived.
    if (JSON.stringify(draft) === JSON.stringify(filters)) void events.refetch();
    else setFilters(draft);
  }
  const rows = events.data?.pages.flatMap((p) => p.events) ?? [];
  return (
    <div className="stack">
      <form className="card grid grid-cards" onSubmit={apply} aria-label="Audit event filters">
        <TextInput
          label="Action"
          value={draft.action}
          onChange={set('action')}
          placeholder="auth.* or interaction.reveal"
        />
        <TextInput label="Actor id" value={draft.actor} onChange={set('actor')} />
        <TextInput
          label="Target type"
          value={draft.targetType}
          onChange={set('targetType')}
          placeholder="interaction"
        />
        <TextInput label="Target id" value={draft.targetId} onChange={set('targetId')} />
        <SelectInput label="Outcome" options={OUTCOMES} value={draft.outcome} onChange={set('outcome')} />
        <TextInput label="From" type="datetime-local" value={draft.from} onChange={set('from')} />
        <TextInput label="To" type="datetime-local" value={draft.to} onChange={set('to')} />
        <div className="row">
          <Button type="submit" className="react-aria-Button primary">
            Apply filters
          </Button>
          <Button
            onPress={() => {
              setDraft(EMPTY);
              setFilters(EMPTY);
            }}
          >
            Clear
          </Button>
        </div>
      </form>
      <ErrorBanner error={events.error} />
      {events.isPending ? (
        <Loading />
      ) : (
        <DataTable
          label="Audit events"
          columns={COLUMNS}
          rows={rows}
          rowKey={(e) => e.id}
          empty="No event matches."
        />
      )}
      {events.hasNextPage ? (
        <Button onPress={() => void events.fetchNextPage()} isDisabled={events.isFetchingNextPage}>
          {events.isFetchingNextPage ? 'Loading…' : 'Load older events'}
        </Button>
      ) : null}
    </div>
  );
}
