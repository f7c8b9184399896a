import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Button } from 'react-aria-components';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/schema.d.ts';
import { useCan } from '../app/access.ts';
import { Badge, ErrorBanner, Loading, PageHeader } from '../ui/feedback.tsx';
import { SelectInput, TextInput } from '../ui/fields.tsx';
import { formatDateTime, formatNumber } from '../ui/format.ts';
import { type ColumnDef, DataTable } from '../ui/table.tsx';
import { ENTITY_LABELS, entityLabel } from './redaction-kinds.ts';

type ListQuery = NonNullable<paths['/api/v1/interactions']['get']['parameters']['query']>;
type Channel = NonNullable<ListQuery['channel']>;
type FindingType = NonNullable<ListQuery['findingType']>;

interface Filters {
  channel: '' | Channel;
  findingType: '' | FindingType;
  queue: string;
  agent: string;
  customerPhone: string;
  customerEmail: string;
  from: string;
  to: string;
}

const EMPTY: Filters = {
  channel: '',
  findingType: '',
  queue: '',
  agent: '',
  customerPhone: '',
  customerEmail: '',
  from: '',
  to: '',
};

async function fetchPage(filters: Filters, cursor: string | undefined) {
  const query: ListQuery = { limit: 50 };
  if (filters.channel) query.channel = filters.channel;
  if (filters.findingType) query.findingType = filters.findingType;
  if (filters.queue) query.queue = filters.queue;
  if (filters.agent) query.agent = filters.agent;
  if (filters.customerPhone) query.customerPhone = filters.customerPhone;
  if (filters.customerEmail) query.customerEmail = filters.customerEmail;
  if (filters.from) query.from = new Date(filters.from).toISOString();
  if (filters.to) query.to = new Date(filters.to).toISOString();
  if (cursor) query.cursor = cursor;
  return unwrap(await api.GET('/api/v1/interactions', { params: { query } }));
}

type Summary = Awaited<ReturnType<typeof fetchPage>>['items'][number];

const CHANNEL_OPTIONS = [
  { id: '', label: 'Any channel' },
  { id: 'voice', label: 'Voice' },
  { id: 'chat', label: 'Chat' },
  { id: 'email', label: 'Email' },
  { id: 'sms', label: 'SMS' },
];

const FINDING_OPTIONS = [
  { id: '', label: 'Any redaction' },
  ...Object.entries(ENTITY_LABELS).map(([id, label]) => ({ id, label })),
];

function findingsText(types: Record<string, number>): string {
  const entries = Object.entries(types).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return 'none';
  return entries.map(([type, n]) => `${entityLabel(type)} ×${n}`).join(', ');
}

/** Agents are referenced by their Vigil user id when they have one: show their name to those who may list users. */
function useAgentNames(): ReadonlyMap<string, string> {
  const canListUsers = useCan('users.read');
  const users = useQuery({
    queryKey: ['users', 'names'],
    queryFn: async () => unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 500 } } })).users,
    enabled: canListUsers,
    staleTime: 60_000,
  });
  return new Map((users.data ?? []).map((u) => [u.id, u.displayName]));
}

const columnsFor = (agentNames: ReadonlyMap<string, string>): ColumnDef<Summary>[] => [
  {
    id: 'started',
    title: 'Started',
    render: (i) => formatDateTime(i.startedAt ?? i.ingestedAt),
    isRowHeader: true,
  },
  { id: 'channel', title: 'Channel', render: (i) => <Badge tone="info">{i.channel}</Badge> },
  { id: 'direction', title: 'Direction', render: (i) => i.direction },
  { id: 'queue', title: 'Queue', render: (i) => i.queue ?? '—' },
  {
    id: 'agent',
    title: 'Agent',
    render: (i) =>
      i.agentRef ? (agentNames.get(i.agentRef) ?? <span className="mono small">{i.agentRef}</span>) : '—',
  },
  { id: 'source', title: 'Source', render: (i) => <span className="small">{i.sourcePlatform}</span> },
  { id: 'segments', title: 'Turns', render: (i) => formatNumber(i.segmentCount) },
  {
    id: 'findings',
    title: 'Redactions',
    render: (i) => <span className="small">{findingsText(i.findingTypes)}</span>,
  },
  {
    id: 'flags',
    title: '',
    render: (i) => (
      <span className="row">
        {i.hasRecording ? <Badge>recording</Badge> : null}
        {i.anonymized ? <Badge tone="warn">anonymized</Badge> : null}
      </span>
    ),
  },
];

/** Search and filter interactions; a row opens the redacted transcript. */
export function InteractionsPage() {
  const navigate = useNavigate();
  const agentNames = useAgentNames();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const list = useInfiniteQuery({
    queryKey: ['interactions', 'list', filters],
    queryFn: ({ pageParam }) => fetchPage(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const set = (key: keyof Filters) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));
  function apply(event: FormEvent) {
    event.preventDefault();
    // Searching again with the same filters must still fetch: new interactions may have arrived.
    if (JSON.stringify(draft) === JSON.stringify(filters)) void list.refetch();
    else setFilters(draft);
  }
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        title="Interactions"
        description="Calls, chats, emails and messages, redacted. Opening one is recorded in the audit log."
      />
      <div className="stack">
        <form className="card grid grid-cards" onSubmit={apply} aria-label="Interaction filters">
          <SelectInput
            label="Channel"
            options={CHANNEL_OPTIONS}
            value={draft.channel}
            onChange={set('channel')}
          />
          <SelectInput
            label="Contains redaction"
            options={FINDING_OPTIONS}
            value={draft.findingType}
            onChange={set('findingType')}
          />
          <TextInput label="Queue" value={draft.queue} onChange={set('queue')} />
          <TextInput label="Agent id" value={draft.agent} onChange={set('agent')} />
          <TextInput
            label="Customer phone"
            type="search"
            value={draft.customerPhone}
            onChange={set('customerPhone')}
            description="Exact match through a blind index"
          />
          <TextInput
            label="Customer email"
            type="search"
            value={draft.customerEmail}
            onChange={set('customerEmail')}
            description="Exact match through a blind index"
          />
          <TextInput label="Started from" type="datetime-local" value={draft.from} onChange={set('from')} />
          <TextInput label="Started before" type="datetime-local" value={draft.to} onChange={set('to')} />
          <div className="row">
            <Button type="submit" className="react-aria-Button primary">
              Search
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
        <ErrorBanner error={list.error} />
        {list.isPending ? (
          <Loading />
        ) : (
          <DataTable
            label="Interactions"
            columns={columnsFor(agentNames)}
            rows={rows}
            rowKey={(i) => i.id}
            onOpen={(i) => navigate(`/interactions/${i.id}`)}
            empty="No interaction matches these filters."
          />
        )}
        {list.hasNextPage ? (
          <Button onPress={() => void list.fetchNextPage()} isDisabled={list.isFetchingNextPage}>
            {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </Button>
        ) : null}
      </div>
    </>
  );
}
