import { useState } from 'react';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/schema.d.ts';
import { FormDialog } from '../ui/dialogs.tsx';
import { CheckboxInput, TextInput } from '../ui/fields.tsx';

export type Team =
  paths['/api/v1/access/teams']['get']['responses'][200]['content']['application/json']['teams'][number];
export interface Person {
  id: string;
  displayName: string;
  email: string;
  roles: string[];
}

/** Queues are typed one per line or separated by commas, as routing systems name them. */
export const parseQueues = (text: string) => [
  ...new Set(
    text
      .split(/[\n,]+/)
      .map((q) => q.trim())
      .filter(Boolean),
  ),
];

export function NewTeamDialog(props: {
  isOpen: boolean;
  onOpenChange: (open: boolean) => void;
  onSaved: () => Promise<unknown>;
}) {
  const [name, setName] = useState('');
  const [queues, setQueues] = useState('');
  return (
    <FormDialog
      title="New team"
      isOpen={props.isOpen}
      onOpenChange={props.onOpenChange}
      submitLabel="Create team"
      onSubmit={async () => {
        unwrap(await api.POST('/api/v1/access/teams', { body: { name, queues: parseQueues(queues) } }));
        setName('');
        setQueues('');
        await props.onSaved();
      }}
    >
      <TextInput label="Team name" value={name} onChange={setName} isRequired maxLength={80} />
      <TextInput
        label="Queues"
        value={queues}
        onChange={setQueues}
        multiline
        description="The contact-center queues this team serves, one per line or separated by commas"
      />
    </FormDialog>
  );
}

type Membership = Map<string, { lead: boolean }>;

/**
 * A team's queues and members in one dialog; each is replaced whole on the server (two audited
 * changes, made only when they differ from what is stored).
 */
export function EditTeamDialog(props: {
  team: Team;
  people: readonly Person[];
  onOpenChange: (open: boolean) => void;
  onSaved: () => Promise<unknown>;
}) {
  const { team } = props;
  // Mounted afresh for each opening (the page keys it), so a background refetch never wipes a draft.
  const [queues, setQueues] = useState(() => team.queues.join('\n'));
  const [members, setMembers] = useState<Membership>(
    () => new Map(team.members.map((m) => [m.userId, { lead: m.lead }])),
  );

  const toggle = (userId: string, change: { member?: boolean; lead?: boolean }) =>
    setMembers((current) => {
      const next = new Map(current);
      const existing = next.get(userId);
      if (change.member === false) next.delete(userId);
      else next.set(userId, { lead: change.lead ?? existing?.lead ?? false });
      return next;
    });

  async function save() {
    const path = { params: { path: { id: team.id } } };
    const nextQueues = parseQueues(queues);
    if (nextQueues.join('\n') !== team.queues.join('\n'))
      unwrap(await api.PUT('/api/v1/access/teams/{id}/queues', { ...path, body: { queues: nextQueues } }));
    const nextMembers = [...members].map(([userId, m]) => ({ userId, lead: m.lead }));
    const key = (list: { userId: string; lead: boolean }[]) =>
      list
        .map((m) => `${m.userId}:${m.lead}`)
        .sort()
        .join(',');
    if (key(nextMembers) !== key(team.members))
      unwrap(await api.PUT('/api/v1/access/teams/{id}/members', { ...path, body: { members: nextMembers } }));
    await props.onSaved();
  }

  return (
    <FormDialog
      title={`Edit team ${team.name}`}
      isOpen
      onOpenChange={props.onOpenChange}
      submitLabel="Save team"
      wide
      onSubmit={save}
    >
      <TextInput
        label="Queues"
        value={queues}
        onChange={setQueues}
        multiline
        description="One per line or separated by commas"
      />
      <table className="editor-table">
        <caption className="react-aria-Label">Members ({members.size})</caption>
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Roles</th>
            <th scope="col">Team lead</th>
          </tr>
        </thead>
        <tbody>
          {props.people.map((person) => {
            const membership = members.get(person.id);
            return (
              <tr key={person.id}>
                <td>
                  <CheckboxInput
                    isSelected={membership !== undefined}
                    onChange={(on) => toggle(person.id, { member: on })}
                  >
                    {person.displayName} <span className="small muted">{person.email}</span>
                  </CheckboxInput>
                </td>
                <td className="small">{person.roles.join(', ') || '—'}</td>
                <td>
                  <CheckboxInput
                    isSelected={membership?.lead ?? false}
                    onChange={(lead) => toggle(person.id, { member: true, lead })}
                  >
                    <span className="visually-hidden">{person.displayName} leads the team</span>
                  </CheckboxInput>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </FormDialog>
  );
}
