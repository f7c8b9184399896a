import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/schema.d.ts';
import { Card, ErrorBanner, Notice, PageHeader, QueryView } from '../ui/feedback.tsx';
import { CheckboxInput, NativeSelect, TextInput } from '../ui/fields.tsx';
import { fieldProblems } from '../ui/server-errors.ts';

type Policy = paths['/api/v1/identity/policy']['get']['responses'][200]['content']['application/json'];
type NumberKey = {
  [K in keyof Policy]: Policy[K] extends number ? K : never;
}[keyof Policy];

/** Each number the policy holds, with the bounds the server enforces (said here, checked there). */
const NUMBER_FIELDS: { key: NumberKey; label: string; hint: string; group: string }[] = [
  { key: 'minLengthWithMfa', label: 'Minimum length with MFA', hint: '12-64 characters', group: 'pw' },
  {
    key: 'minLengthSingleFactor',
    label: 'Minimum length without MFA',
    hint: '15-64 characters',
    group: 'pw',
  },
  { key: 'maxLength', label: 'Maximum length', hint: '128-1024 characters', group: 'pw' },
  { key: 'historyCount', label: 'Previous passwords refused', hint: '0-24', group: 'pw' },
  { key: 'stepUpMinutes', label: 'Step-up freshness (minutes)', hint: '1-60', group: 'mfa' },
  {
    key: 'idleTimeoutMinutes',
    label: 'Idle timeout (minutes)',
    hint: '1-15 (PCI DSS 8.2.8)',
    group: 'session',
  },
  { key: 'absoluteLifetimeHours', label: 'Session lifetime (hours)', hint: '1-24', group: 'session' },
  { key: 'lockoutThreshold', label: 'Failed attempts before lockout', hint: '3-10', group: 'lock' },
  { key: 'lockoutMinutes', label: 'Lockout duration (minutes)', hint: '30-1440', group: 'lock' },
  {
    key: 'dormantDays',
    label: 'Disable unused accounts after (days)',
    hint: '1-90 (PCI DSS 8.2.6)',
    group: 'lock',
  },
];

type Draft = Record<NumberKey | 'rotationDays', string> & {
  mfaRequired: Policy['mfaRequired'];
  mfaRoles: string[];
};

function draftOf(policy: Policy): Draft {
  const numbers = Object.fromEntries(NUMBER_FIELDS.map((f) => [f.key, String(policy[f.key])]));
  return {
    ...(numbers as Record<NumberKey, string>),
    rotationDays: policy.rotationDays === null ? '' : String(policy.rotationDays),
    mfaRequired: policy.mfaRequired,
    mfaRoles: policy.mfaRoles,
  };
}

/**
 * A number input's text as JSON: a blank field (a number input gives '' for anything that is not
 * a number) becomes null, which the server refuses by name; rotation's blank means "never".
 */
function toNumber(text: string): number | null {
  const value = Number(text.trim());
  return text.trim() === '' || !Number.isFinite(value) ? null : value;
}

function PolicyForm({ policy }: { policy: Policy }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(policy));
  useEffect(() => setDraft(draftOf(policy)), [policy]);
  const roles = useQuery({
    queryKey: ['access', 'roles', 'names'],
    queryFn: async () => unwrap(await api.GET('/api/v1/access/roles')).roles,
    retry: false,
  });
  const save = useMutation({
    mutationFn: async (body: Partial<Policy>) =>
      unwrap(await api.PUT('/api/v1/identity/policy', { body: body as Policy })),
    onSuccess: (next) => client.setQueryData(['identity', 'policy'], next),
  });
  const problems = fieldProblems(save.error);
  const set = (changes: Partial<Draft>) => {
    save.reset();
    setDraft((d) => ({ ...d, ...changes }));
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    const numbers = Object.fromEntries(NUMBER_FIELDS.map((f) => [f.key, toNumber(draft[f.key])]));
    save.mutate({
      ...numbers,
      rotationDays: toNumber(draft.rotationDays),
      mfaRequired: draft.mfaRequired,
      mfaRoles: draft.mfaRoles,
    } as Partial<Policy>);
  }

  const numberInput = (f: (typeof NUMBER_FIELDS)[number]) => (
    <TextInput
      key={f.key}
      label={f.label}
      type="number"
      inputMode="numeric"
      value={draft[f.key]}
      onChange={(v) => set({ [f.key]: v } as Partial<Draft>)}
      description={f.hint}
      error={problems[f.key]}
    />
  );
  const group = (name: string) => NUMBER_FIELDS.filter((f) => f.group === name).map(numberInput);

  return (
    <form className="stack" onSubmit={submit} aria-label="Sign-in policy" noValidate>
      {Object.keys(problems).length > 0 ? (
        <Notice tone="error">
          Not saved: the server refused {Object.keys(problems).length} value(s), marked below. Nothing was
          changed.
        </Notice>
      ) : (
        <ErrorBanner error={save.error} />
      )}
      {save.isSuccess ? <Notice tone="ok">Policy saved. Every node applies it within seconds.</Notice> : null}
      <Card title="Second factor">
        <div className="form-grid">
          <NativeSelect
            label="Who needs a second factor"
            value={draft.mfaRequired}
            onChange={(v) => set({ mfaRequired: v === 'roles' ? 'roles' : 'all' })}
            options={[
              { id: 'all', label: 'Everyone (recommended)' },
              { id: 'roles', label: 'Holders of the roles below' },
            ]}
          />
          {group('mfa')}
        </div>
        {draft.mfaRequired === 'roles' ? (
          <fieldset className="plain stack">
            <legend className="react-aria-Label">Roles that need a second factor</legend>
            <p className="small muted">Security administrators always need one.</p>
            {(roles.data ?? []).map((role) => (
              <CheckboxInput
                key={role.name}
                isSelected={draft.mfaRoles.includes(role.name)}
                onChange={(on) =>
                  set({
                    mfaRoles: on
                      ? [...draft.mfaRoles, role.name]
                      : draft.mfaRoles.filter((r) => r !== role.name),
                  })
                }
              >
                {role.displayName}
              </CheckboxInput>
            ))}
            {problems['mfaRoles'] ? <p className="field-error">{problems['mfaRoles']}</p> : null}
          </fieldset>
        ) : null}
      </Card>
      <Card title="Passwords">
        <div className="form-grid">
          {group('pw')}
          <TextInput
            label="Change every (days)"
            type="number"
            inputMode="numeric"
            value={draft.rotationDays}
            onChange={(rotationDays) => set({ rotationDays })}
            description="30-365, or empty for never (NIST SP 800-63B)"
            error={problems['rotationDays']}
          />
        </div>
      </Card>
      <Card title="Sessions">
        <div className="form-grid">{group('session')}</div>
      </Card>
      <Card title="Lockout and dormant accounts">
        <div className="form-grid">{group('lock')}</div>
      </Card>
      <div className="row">
        <Button type="submit" className="react-aria-Button primary" isDisabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save policy'}
        </Button>
        <Button onPress={() => set(draftOf(policy))}>Discard changes</Button>
      </div>
    </form>
  );
}

/** The tenant's authentication policy (PCI DSS 8, NIST SP 800-63B); saving needs a fresh second factor. */
export function IdentityPolicyPage() {
  const query = useQuery({
    queryKey: ['identity', 'policy'],
    queryFn: async () => unwrap(await api.GET('/api/v1/identity/policy')),
  });
  return (
    <>
      <PageHeader
        title="Sign-in policy"
        description="Passwords, second factors, sessions and lockout for everyone in this tenant. The server refuses values outside the safe bounds."
      />
      <QueryView query={query}>{(policy) => <PolicyForm policy={policy} />}</QueryView>
    </>
  );
}
