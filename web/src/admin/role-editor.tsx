import { useState } from 'react';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/schema.d.ts';
import { FormDialog } from '../ui/dialogs.tsx';
import { Badge } from '../ui/feedback.tsx';
import { CheckboxInput, NativeSelect, TextInput } from '../ui/fields.tsx';
import {
  describeWindow,
  RoleWindowsEditor,
  saveRoleWindows,
  type TimeWindow,
  windowProblems,
} from './role-windows.tsx';

type Ok<P extends keyof paths> = paths[P]['get' & keyof paths[P]] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;
export type Role = Ok<'/api/v1/access/roles'>['roles'][number];
export type Catalog = Ok<'/api/v1/access/permissions'>;
type RoleBody = paths['/api/v1/access/roles']['post']['requestBody']['content']['application/json'];
type Scope = Role['grants'][number]['scope'];
type Visibility = 'unmasked' | 'masked' | 'omitted';

export const SCOPE_OPTIONS: { id: Scope; label: string }[] = [
  { id: 'tenant', label: 'Whole tenant' },
  { id: 'team', label: 'Their teams and queues' },
  { id: 'sampled', label: 'QA sample' },
  { id: 'own', label: 'Their own' },
];
const VISIBILITY_OPTIONS: { id: Visibility; label: string }[] = [
  { id: 'masked', label: 'Masked' },
  { id: 'unmasked', label: 'Unmasked' },
  { id: 'omitted', label: 'Omitted' },
];

interface Draft {
  name: string;
  displayName: string;
  description: string;
  grants: Map<string, Scope>;
  fields: Record<string, Visibility>;
  windows: TimeWindow[];
}

function draftOf(role: Role | null, catalog: Catalog): Draft {
  // A field a role does not list is masked (src/access/access.compile.ts), so masked is the default.
  const fields = Object.fromEntries(catalog.fields.map((f) => [f.name, 'masked' as Visibility]));
  if (!role) return { name: '', displayName: '', description: '', grants: new Map(), fields, windows: [] };
  return {
    name: role.name,
    displayName: role.displayName,
    description: role.description,
    grants: new Map(role.grants.map((g) => [g.permission, g.scope])),
    fields: { ...fields, ...(role.fields as Record<string, Visibility>) },
    windows: role.windows.map((w) => ({ ...w, days: [...w.days] })),
  };
}

function PermissionRows(props: {
  catalog: Catalog;
  grants: Map<string, Scope>;
  onChange: (grants: Map<string, Scope>) => void;
}) {
  const set = (permission: string, scope: Scope | null) => {
    const next = new Map(props.grants);
    if (scope) next.set(permission, scope);
    else next.delete(permission);
    props.onChange(next);
  };
  return (
    <table className="editor-table">
      <caption className="visually-hidden">Permissions of the role and their scope</caption>
      <thead>
        <tr>
          <th scope="col">Permission</th>
          <th scope="col">Scope</th>
        </tr>
      </thead>
      <tbody>
        {props.catalog.permissions.map((p) => {
          const scope = props.grants.get(p.name);
          return (
            <tr key={p.name}>
              <td>
                <CheckboxInput
                  isSelected={scope !== undefined}
                  onChange={(on) => set(p.name, on ? (p.scoped ? 'team' : 'tenant') : null)}
                >
                  <span className="mono small">{p.name}</span>{' '}
                  <span className="small muted">{p.description}</span>
                  {p.stepUp ? <Badge tone="warn">step-up</Badge> : null}
                </CheckboxInput>
              </td>
              <td>
                {p.scoped && scope !== undefined ? (
                  <NativeSelect
                    label={`Scope of ${p.name}`}
                    hideLabel
                    value={scope}
                    options={SCOPE_OPTIONS}
                    onChange={(v) => set(p.name, v as Scope)}
                  />
                ) : (
                  <span className="small muted">{scope ? 'whole tenant' : ''}</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function FieldRows(props: {
  catalog: Catalog;
  fields: Record<string, Visibility>;
  onChange: (fields: Record<string, Visibility>) => void;
}) {
  return (
    <table className="editor-table">
      <caption className="visually-hidden">What holders of the role see of each field</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Visibility</th>
        </tr>
      </thead>
      <tbody>
        {props.catalog.fields.map((f) => (
          <tr key={f.name}>
            <td>
              <span className="mono small">{f.name}</span>{' '}
              <span className="small muted">{f.description}</span>
            </td>
            <td>
              <NativeSelect
                label={`Visibility of ${f.name}`}
                hideLabel
                value={props.fields[f.name] ?? 'masked'}
                options={VISIBILITY_OPTIONS}
                onChange={(v) => props.onChange({ ...props.fields, [f.name]: v as Visibility })}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Creates or replaces a tenant's custom role: named permissions (with the scope of the scoped
 * ones) and field-level visibility. The server validates the whole definition and audits it.
 */
export function RoleEditor(props: {
  role: Role | null;
  catalog: Catalog;
  /** Working hours live in the access policy, which needs access.manage to change. */
  canEditHours: boolean;
  isOpen: boolean;
  onOpenChange: (open: boolean) => void;
  onSaved: () => Promise<unknown>;
}) {
  // Mounted afresh for each opening (the page keys it), so a background refetch never wipes a draft.
  const [draft, setDraft] = useState<Draft>(() => draftOf(props.role, props.catalog));
  // Set once the role exists, so a retry after a refused working-hours change updates it.
  const [created, setCreated] = useState(false);
  const editing = props.role !== null;

  async function save() {
    const problem = props.canEditHours ? windowProblems(draft.windows) : null;
    if (problem) throw new Error(problem);
    const body = {
      displayName: draft.displayName,
      description: draft.description,
      grants: [...draft.grants].map(([permission, scope]) => ({ permission, scope })),
      fields: draft.fields,
    } as Omit<RoleBody, 'name'>;
    if (editing || created) {
      unwrap(await api.PUT('/api/v1/access/roles/{name}', { params: { path: { name: draft.name } }, body }));
    } else {
      unwrap(await api.POST('/api/v1/access/roles', { body: { ...body, name: draft.name } }));
      setCreated(true);
    }
    const before = JSON.stringify(props.role?.windows ?? []);
    if (props.canEditHours && JSON.stringify(draft.windows) !== before)
      await saveRoleWindows(draft.name, draft.windows);
    await props.onSaved();
  }

  return (
    <FormDialog
      title={editing ? `Edit role ${props.role?.displayName}` : 'New custom role'}
      isOpen={props.isOpen}
      onOpenChange={props.onOpenChange}
      submitLabel={editing ? 'Save role' : 'Create role'}
      wide
      onSubmit={save}
    >
      <div className="form-grid">
        {editing ? null : (
          <TextInput
            label="Role name"
            value={draft.name}
            onChange={(name) => setDraft({ ...draft, name })}
            isRequired
            pattern="[a-z][a-z0-9_\-]{1,39}"
            description="Lowercase letters, digits, dashes, underscores; cannot change later"
          />
        )}
        <TextInput
          label="Display name"
          value={draft.displayName}
          onChange={(displayName) => setDraft({ ...draft, displayName })}
          isRequired
          maxLength={80}
        />
      </div>
      <TextInput
        label="Description"
        value={draft.description}
        onChange={(description) => setDraft({ ...draft, description })}
        maxLength={300}
      />
      <fieldset className="plain stack">
        <legend className="react-aria-Label">Permissions ({draft.grants.size} selected)</legend>
        <p className="small muted">
          Scoped permissions reach their holder's own records, their teams' members and queues, a QA sample,
          or the whole tenant.
        </p>
        <PermissionRows
          catalog={props.catalog}
          grants={draft.grants}
          onChange={(grants) => setDraft({ ...draft, grants })}
        />
      </fieldset>
      {props.canEditHours ? (
        <RoleWindowsEditor windows={draft.windows} onChange={(windows) => setDraft({ ...draft, windows })} />
      ) : (
        <p className="small muted">
          Working hours: {draft.windows.map(describeWindow).join('; ') || 'any time'} (changed by access
          administrators).
        </p>
      )}
      <fieldset className="plain stack">
        <legend className="react-aria-Label">Field visibility</legend>
        <FieldRows
          catalog={props.catalog}
          fields={draft.fields}
          onChange={(fields) => setDraft({ ...draft, fields })}
        />
      </fieldset>
    </FormDialog>
  );
}
