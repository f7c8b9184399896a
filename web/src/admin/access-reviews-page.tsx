import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import { useCan } from '../app/access.ts';
import { useSession } from '../auth/session.tsx';
import { FormDialog } from '../ui/dialogs.tsx';
import { Badge, Card, ErrorBanner, Notice, PageHeader, QueryView } from '../ui/feedback.tsx';
import { SelectInput, TextInput } from '../ui/fields.tsx';
import { formatDate, formatDateTime, formatRelative } from '../ui/format.ts';
import { DataTable } from '../ui/table.tsx';
import { ChangeRoleDialog } from './review-change-dialog.tsx';

async function fetchCampaign(id: string) {
  return unwrap(await api.GET('/api/v1/access/reviews/{id}', { params: { path: { id } } }));
}
type Campaign = Awaited<ReturnType<typeof fetchCampaign>>['campaign'];
type Item = Awaited<ReturnType<typeof fetchCampaign>>['items'][number];
type Decision = 'keep' | 'revoke' | 'change';

function StartCampaignDialog(props: {
  isOpen: boolean;
  onOpenChange: (o: boolean) => void;
  onStarted: (id: string) => void;
}) {
  const [name, setName] = useState('');
  const [dueDays, setDueDays] = useState('14');
  const [undecided, setUndecided] = useState<'revoke' | 'keep'>('revoke');
  return (
    <FormDialog
      title="Start an access review"
      isOpen={props.isOpen}
      onOpenChange={props.onOpenChange}
      submitLabel="Start review"
      onSubmit={async () => {
        const { campaign } = unwrap(
          await api.POST('/api/v1/access/reviews', {
            body: { ...(name ? { name } : {}), dueDays: Number(dueDays), undecided },
          }),
        );
        props.onStarted(campaign.id);
      }}
    >
      <TextInput
        label="Name"
        value={name}
        onChange={setName}
        maxLength={120}
        placeholder="Q3 access review"
      />
      <TextInput label="Days to decide" type="number" value={dueDays} onChange={setDueDays} isRequired />
      <SelectInput
        label="Undecided grants at the due date"
        value={undecided}
        onChange={(v) => setUndecided(v === 'keep' ? 'keep' : 'revoke')}
        options={[
          { id: 'revoke', label: 'Revoke (safer)' },
          { id: 'keep', label: 'Keep' },
        ]}
      />
    </FormDialog>
  );
}

/** Access-review campaigns (PCI DSS 7.2.4): who holds what, kept or revoked by a reviewer. */
export function AccessReviewsPage() {
  const navigate = useNavigate();
  const canManage = useCan('access.review.manage');
  const [starting, setStarting] = useState(false);
  const campaigns = useQuery({
    queryKey: ['access', 'reviews'],
    queryFn: async () => unwrap(await api.GET('/api/v1/access/reviews')).campaigns,
  });
  return (
    <>
      <PageHeader
        title="Access reviews"
        description="Reviewers keep, revoke or change every grant; undecided grants follow the campaign's rule at the due date."
        actions={
          canManage ? (
            <Button className="react-aria-Button primary" onPress={() => setStarting(true)}>
              Start a review
            </Button>
          ) : null
        }
      />
      <QueryView query={campaigns}>
        {(rows) => (
          <DataTable
            label="Access-review campaigns"
            rows={rows}
            rowKey={(c) => c.id}
            onOpen={(c) => navigate(`/admin/reviews/${c.id}`)}
            empty="No access review yet."
            columns={[
              {
                id: 'name',
                title: 'Campaign',
                render: (c) => <Link to={`/admin/reviews/${c.id}`}>{c.name}</Link>,
                isRowHeader: true,
              },
              {
                id: 'status',
                title: 'Status',
                render: (c) => <Badge tone={c.status === 'open' ? 'info' : 'neutral'}>{c.status}</Badge>,
              },
              { id: 'items', title: 'Grants', render: (c) => c.itemCount },
              { id: 'created', title: 'Started', render: (c) => formatDate(Date.parse(c.createdAt)) },
              {
                id: 'due',
                title: 'Due',
                render: (c) =>
                  c.status === 'open'
                    ? `${formatDate(Date.parse(c.dueAt))} (${formatRelative(Date.parse(c.dueAt))})`
                    : formatDate(Date.parse(c.dueAt)),
              },
              { id: 'rule', title: 'If undecided', render: (c) => c.undecidedRule },
            ]}
          />
        )}
      </QueryView>
      <StartCampaignDialog
        isOpen={starting}
        onOpenChange={setStarting}
        onStarted={(id) => navigate(`/admin/reviews/${id}`)}
      />
    </>
  );
}

function DecisionButtons(props: {
  item: Item;
  onDecide: (item: Item, decision: Decision) => void;
  onChange: (item: Item) => void;
  busy: boolean;
  isOwn: boolean;
}) {
  if (!props.item.decision && props.isOwn) {
    // Nobody reviews their own access (the server refuses it too): another reviewer decides.
    return <span className="small muted">another reviewer decides</span>;
  }
  if (props.item.decision) {
    return (
      <Badge tone={props.item.decision === 'revoke' ? 'danger' : 'ok'}>
        {props.item.decision}
        {props.item.changeTo ? ` → ${props.item.changeTo}` : ''}
      </Badge>
    );
  }
  return (
    <div className="row">
      <Button
        className="react-aria-Button small"
        aria-label={`Keep ${props.item.grantName} for ${props.item.userName}`}
        isDisabled={props.busy}
        onPress={() => props.onDecide(props.item, 'keep')}
      >
        Keep
      </Button>
      <Button
        className="react-aria-Button small danger"
        aria-label={`Revoke ${props.item.grantName} from ${props.item.userName}`}
        isDisabled={props.busy}
        onPress={() => props.onDecide(props.item, 'revoke')}
      >
        Revoke
      </Button>
      {props.item.grantKind === 'role' ? (
        <Button
          className="react-aria-Button small"
          aria-label={`Change ${props.item.grantName} for ${props.item.userName}`}
          isDisabled={props.busy}
          onPress={() => props.onChange(props.item)}
        >
          Change…
        </Button>
      ) : null}
    </div>
  );
}

function CampaignItems({ campaign, items }: { campaign: Campaign; items: Item[] }) {
  const client = useQueryClient();
  const { session } = useSession();
  const [changing, setChanging] = useState<Item | null>(null);
  const decide = useMutation({
    mutationFn: async (input: { itemId: string; decision: Decision; changeTo?: string; note?: string }) =>
      unwrap(
        await api.POST('/api/v1/access/reviews/{id}/items/{itemId}/decision', {
          params: { path: { id: campaign.id, itemId: input.itemId } },
          body: {
            decision: input.decision,
            ...(input.changeTo ? { changeTo: input.changeTo } : {}),
            ...(input.note ? { note: input.note } : {}),
          },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['access', 'reviews'] }),
  });
  return (
    <>
      <ErrorBanner error={decide.error} />
      <DataTable
        label="Grants under review"
        rows={items}
        rowKey={(i) => i.id}
        empty="This campaign has no grant to review."
        columns={[
          { id: 'user', title: 'Person', render: (i) => <strong>{i.userName}</strong>, isRowHeader: true },
          { id: 'status', title: 'Account', render: (i) => <Badge>{i.userStatus}</Badge> },
          {
            id: 'grant',
            title: 'Grant',
            render: (i) => <span className="mono">{`${i.grantKind}: ${i.grantName}`}</span>,
          },
          {
            id: 'used',
            title: 'Last used',
            render: (i) => (i.lastUsedAt ? formatDateTime(Date.parse(i.lastUsedAt)) : 'never'),
          },
          {
            id: 'flags',
            title: 'Flags',
            render: (i) => (
              <span className="row">
                {i.flags.map((f) => (
                  <Badge key={f.flag} tone="warn">
                    {f.flag}
                  </Badge>
                ))}
              </span>
            ),
          },
          {
            id: 'decision',
            title: 'Decision',
            render: (i) =>
              campaign.status === 'open' ? (
                <DecisionButtons
                  item={i}
                  busy={decide.isPending}
                  onDecide={(item, decision) => decide.mutate({ itemId: item.id, decision })}
                  onChange={setChanging}
                  isOwn={i.userId === session?.userId}
                />
              ) : (
                <span className="small">{i.outcome ?? i.decision ?? '—'}</span>
              ),
          },
        ]}
      />
      <ChangeRoleDialog
        item={changing}
        onOpenChange={(open) => (open ? null : setChanging(null))}
        onDecide={async (item, changeTo, note) => {
          await decide.mutateAsync({ itemId: item.id, decision: 'change', changeTo, note });
        }}
      />
    </>
  );
}

export function AccessReviewPage() {
  const { id = '' } = useParams();
  const client = useQueryClient();
  const canManage = useCan('access.review.manage');
  const query = useQuery({ queryKey: ['access', 'reviews', id], queryFn: () => fetchCampaign(id) });
  const close = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/access/reviews/{id}/close', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['access', 'reviews'] }),
  });
  return (
    <QueryView query={query}>
      {({ campaign, items }) => {
        const decided = items.filter((i) => i.decision).length;
        return (
          <>
            <PageHeader
              title={campaign.name}
              description={<Link to="/admin/reviews">All access reviews</Link>}
              actions={
                canManage && campaign.status === 'open' ? (
                  <Button onPress={() => close.mutate()} isDisabled={close.isPending}>
                    Close now
                  </Button>
                ) : null
              }
            />
            <div className="stack">
              <Card>
                <p>
                  <Badge tone={campaign.status === 'open' ? 'info' : 'neutral'}>{campaign.status}</Badge>{' '}
                  {decided} of {items.length} decided · due {formatDate(Date.parse(campaign.dueAt))} ·
                  undecided grants are {campaign.undecidedRule === 'revoke' ? 'revoked' : 'kept'}
                </p>
                <progress max={Math.max(1, items.length)} value={decided} aria-label="Decisions made" />
              </Card>
              <ErrorBanner error={close.error} />
              {close.isSuccess ? <Notice tone="ok">Campaign closed.</Notice> : null}
              <CampaignItems campaign={campaign} items={items} />
            </div>
          </>
        );
      }}
    </QueryView>
  );
}
