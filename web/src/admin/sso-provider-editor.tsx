import { useState } from 'react';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/schema.d.ts';
import { FormDialog } from '../ui/dialogs.tsx';
import { CheckboxInput, TextInput } from '../ui/fields.tsx';

export type Provider =
  paths['/api/v1/sso/providers']['get']['responses'][200]['content']['application/json']['providers'][number];
export type ProviderBody =
  paths['/api/v1/sso/providers/{slug}']['put']['requestBody']['content']['application/json'];

/** `group = role, role` per line, the way administrators read an IdP mapping. */
export function formatGroupRoles(groupRoles: Record<string, string[]>): string {
  return Object.entries(groupRoles)
    .map(([group, roles]) => `${group} = ${roles.join(', ')}`)
    .join('\n');
}

export function parseGroupRoles(text: string): Record<string, string[]> {
  const mapping: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const eq = line.lastIndexOf('=');
    if (eq <= 0) throw new Error(`group mapping "${line.trim()}" must read: group = role, role`);
    const group = line.slice(0, eq).trim();
    const roles = line
      .slice(eq + 1)
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    mapping[group] = [...new Set([...(mapping[group] ?? []), ...roles])];
  }
  return mapping;
}

/** The stored settings of a provider as a PUT body; the secret is omitted, so the server keeps it. */
export function bodyOf(provider: Provider, changes: Partial<ProviderBody> = {}): ProviderBody {
  return {
    displayName: provider.displayName,
    issuer: provider.issuer,
    clientId: provider.clientId,
    scopes: provider.scopes,
    groupsClaim: provider.groupsClaim,
    groupRoles: provider.groupRoles,
    jitProvisioning: provider.jitProvisioning,
    enabled: provider.enabled,
    ...changes,
  };
}

interface Draft {
  slug: string;
  displayName: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  publicClient: boolean;
  scopes: string;
  groupsClaim: string;
  groupRoles: string;
  jitProvisioning: boolean;
  enabled: boolean;
}

function draftOf(provider: Provider | null): Draft {
  return {
    slug: provider?.slug ?? '',
    displayName: provider?.displayName ?? '',
    issuer: provider?.issuer ?? '',
    clientId: provider?.clientId ?? '',
    clientSecret: '',
    publicClient: provider ? !provider.hasClientSecret : false,
    scopes: (provider?.scopes ?? ['openid', 'email', 'profile', 'offline_access']).join(' '),
    groupsClaim: provider?.groupsClaim ?? 'groups',
    groupRoles: provider ? formatGroupRoles(provider.groupRoles) : '',
    jitProvisioning: provider?.jitProvisioning ?? false,
    enabled: provider?.enabled ?? true,
  };
}

/** The client secret is write-only: the field starts empty, and empty keeps the stored one. */
function secretChange(draft: Draft, provider: Provider | null): { clientSecret?: string | null } {
  if (draft.publicClient) return { clientSecret: null };
  if (draft.clientSecret) return { clientSecret: draft.clientSecret };
  if (!provider?.hasClientSecret) throw new Error('enter the client secret, or mark the client as public');
  return {};
}

export function SsoProviderEditor(props: {
  provider: Provider | null;
  isOpen: boolean;
  onOpenChange: (open: boolean) => void;
  onSaved: () => Promise<unknown>;
}) {
  const { provider } = props;
  // Mounted afresh for each opening (the page keys it), so a background refetch never wipes a draft.
  const [draft, setDraft] = useState<Draft>(() => draftOf(provider));
  const set = (changes: Partial<Draft>) => setDraft((d) => ({ ...d, ...changes }));

  async function save() {
    const body: ProviderBody = {
      displayName: draft.displayName,
      issuer: draft.issuer.trim(),
      clientId: draft.clientId.trim(),
      scopes: draft.scopes.split(/\s+/).filter(Boolean),
      groupsClaim: draft.groupsClaim.trim(),
      groupRoles: parseGroupRoles(draft.groupRoles),
      jitProvisioning: draft.jitProvisioning,
      enabled: draft.enabled,
      ...secretChange(draft, provider),
    };
    unwrap(await api.PUT('/api/v1/sso/providers/{slug}', { params: { path: { slug: draft.slug } }, body }));
    set({ clientSecret: '' });
    await props.onSaved();
  }

  return (
    <FormDialog
      title={provider ? `Edit ${provider.displayName}` : 'Add an identity provider'}
      isOpen={props.isOpen}
      onOpenChange={props.onOpenChange}
      submitLabel={provider ? 'Save provider' : 'Add provider'}
      wide
      onSubmit={save}
    >
      <div className="form-grid">
        {provider ? null : (
          <TextInput
            label="Short name"
            value={draft.slug}
            onChange={(slug) => set({ slug })}
            isRequired
            pattern="[a-z0-9][a-z0-9\-]{1,39}"
            description="In the sign-in URL: lowercase letters, digits, dashes"
          />
        )}
        <TextInput
          label="Display name"
          value={draft.displayName}
          onChange={(displayName) => set({ displayName })}
          isRequired
          maxLength={100}
          description="Shown on the sign-in page"
        />
        <TextInput
          label="Issuer URL"
          type="url"
          value={draft.issuer}
          onChange={(issuer) => set({ issuer })}
          isRequired
          description="https only (plain http on loopback for a local IdP)"
        />
        <TextInput
          label="Client ID"
          value={draft.clientId}
          onChange={(clientId) => set({ clientId })}
          isRequired
          maxLength={300}
        />
      </div>
      <CheckboxInput isSelected={draft.publicClient} onChange={(publicClient) => set({ publicClient })}>
        Public client (PKCE only, no client secret)
      </CheckboxInput>
      {draft.publicClient ? null : (
        <TextInput
          label="Client secret"
          type="password"
          value={draft.clientSecret}
          onChange={(clientSecret) => set({ clientSecret })}
          autoComplete="new-password"
          maxLength={1000}
          description={
            provider?.hasClientSecret
              ? 'A secret is stored (sealed, never shown). Leave empty to keep it; type a new one to replace it.'
              : 'Stored sealed and never shown again.'
          }
        />
      )}
      <div className="form-grid">
        <TextInput label="Scopes" value={draft.scopes} onChange={(scopes) => set({ scopes })} />
        <TextInput
          label="Groups claim"
          value={draft.groupsClaim}
          onChange={(groupsClaim) => set({ groupsClaim })}
          maxLength={100}
        />
      </div>
      <TextInput
        label="Group to role mapping"
        value={draft.groupRoles}
        onChange={(groupRoles) => set({ groupRoles })}
        multiline
        placeholder="cc-supervisors = supervisor"
        description="One line per IdP group: group = role, role. Roles granted this way follow the group at each sign-in."
      />
      <CheckboxInput
        isSelected={draft.jitProvisioning}
        onChange={(jitProvisioning) => set({ jitProvisioning })}
      >
        Create accounts on first sign-in (just-in-time provisioning)
      </CheckboxInput>
      <CheckboxInput isSelected={draft.enabled} onChange={(enabled) => set({ enabled })}>
        Enabled (offered on the sign-in page)
      </CheckboxInput>
    </FormDialog>
  );
}
