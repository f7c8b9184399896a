import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import { useCan } from '../app/access.ts';
import { FormDialog } from '../ui/dialogs.tsx';
import { Badge, PageHeader, QueryView } from '../ui/feedback.tsx';
import { formatDate } from '../ui/format.ts';
import { DataTable } from '../ui/table.tsx';
import { EditTeamDialog, NewTeamDialog, type Person, type Team } from './team-editor.tsx';

async function fetchTeamsAndPeople(canListUsers: boolean) {
  const [teams, users] = await Promise.all([
    api.GET('/api/v1/access/teams').then(unwrap),
    // Without users.read the page still lists teams, naming members by id.
    canListUsers
      ? api.GET('/api/v1/users', { params: { query: { limit: 500 } } }).then(unwrap)
      : Promise.resolve({ users: [] }),
  ]);
  const people: Person[] = users.users
    .filter((u) => u.status !== 'disabled')
    .map((u) => ({ id: u.id, displayName: u.displayName, email: u.email, roles: u.roles }));
  return { teams: teams.teams, people };
}

function memberNames(team: Team, people: readonly Person[]) {
  const byId = new Map(people.map((p) => [p.id, p.displayName]));
  return team.members.map((m) => ({ name: byId.get(m.userId) ?? m.userId, lead: m.lead }));
}

/**
 * Teams and their queues: a supervisor with a team-scoped permission sees the interactions of the
 * teams they belong to (their members' and their queues'); team leads review their members' access.
 */
export function TeamsPage() {
  const client = useQueryClient();
  const canManage = useCan('roles.manage');
  const canListUsers = useCan('users.read');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Team | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);
  const query = useQuery({
    queryKey: ['access', 'teams', canListUsers],
    queryFn: () => fetchTeamsAndPeople(canListUsers),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['access'] });
  return (
    <>
      <PageHeader
        title="Teams and queues"
        description="What team-scoped permissions reach: a team's members and the queues it serves. Team leads review their members' access."
        actions={
          canManage ? (
            <Button className="react-aria-Button primary" onPress={() => setCreating(true)}>
              New team
            </Button>
          ) : null
        }
      />
      <QueryView query={query}>
        {({ teams, people }) => (
          <>
            <DataTable
              label="Teams"
              rows={teams}
              rowKey={(t) => t.id}
              empty="No team yet: team-scoped permissions reach only their holder's own records."
              columns={[
                { id: 'name', title: 'Team', render: (t) => <strong>{t.name}</strong>, isRowHeader: true },
                {
                  id: 'queues',
                  title: 'Queues',
                  render: (t) => <span className="mono small">{t.queues.join(', ') || '—'}</span>,
                },
                {
                  id: 'members',
                  title: 'Members',
                  render: (t) => (
                    <span className="row">
                      {memberNames(t, people).map((m) => (
                        <Badge key={m.name} tone={m.lead ? 'info' : 'neutral'}>
                          {m.lead ? `${m.name} (lead)` : m.name}
                        </Badge>
                      ))}
                      {t.members.length === 0 ? <span className="muted">none</span> : null}
                    </span>
                  ),
                },
                { id: 'created', title: 'Created', render: (t) => formatDate(Date.parse(t.createdAt)) },
                {
                  id: 'actions',
                  title: 'Actions',
                  render: (t) =>
                    canManage ? (
                      <span className="row">
                        <Button
                          className="react-aria-Button small"
                          aria-label={`Edit team ${t.name}`}
                          onPress={() => setEditing(t)}
                        >
                          Edit
                        </Button>
                        <Button
                          className="react-aria-Button small"
                          aria-label={`Delete team ${t.name}`}
                          onPress={() => setDeleting(t)}
                        >
                          Delete
                        </Button>
                      </span>
                    ) : null,
                },
              ]}
            />
            {editing ? (
              <EditTeamDialog
                key={editing.id}
                team={editing}
                people={people}
                onOpenChange={(open) => (open ? null : setEditing(null))}
                onSaved={refresh}
              />
            ) : null}
          </>
        )}
      </QueryView>
      <NewTeamDialog isOpen={creating} onOpenChange={setCreating} onSaved={refresh} />
      <FormDialog
        title={deleting ? `Delete team ${deleting.name}` : 'Delete team'}
        isOpen={deleting !== null}
        onOpenChange={(open) => (open ? null : setDeleting(null))}
        submitLabel="Delete team"
        tone="danger"
        onSubmit={async () => {
          if (!deleting) return;
          unwrap(await api.DELETE('/api/v1/access/teams/{id}', { params: { path: { id: deleting.id } } }));
          await refresh();
        }}
      >
        <p>Its supervisors lose team-scoped access to its members and queues at once.</p>
      </FormDialog>
    </>
  );
}
