import { type FormEvent, useState } from 'react';
import { Button, Disclosure, DisclosurePanel, Heading } from 'react-aria-components';
import { TextInput } from '../ui/fields.tsx';

/** Readable words for the codes the SSO callback puts in `/login#error=...`. */
const SSO_ERRORS: Record<string, string> = {
  sso_failed: 'Single sign-on did not complete. Try again, or sign in with your password.',
  sso_no_account: 'No Vigil account is linked to this identity. Ask your administrator for access.',
  sso_mfa: 'Your organization requires a second factor in Vigil: sign in with your password to set it up.',
  sso_provider_not_found: 'That single sign-on provider is not configured.',
};

export function ssoErrorFromFragment(): string | null {
  const code = new URLSearchParams(window.location.hash.slice(1)).get('error');
  if (!code) return null;
  return SSO_ERRORS[code] ?? SSO_ERRORS['sso_failed'] ?? null;
}

/**
 * Single sign-on through the tenant's OpenID Connect provider: the browser goes to the server's
 * start URL, which redirects to the provider with PKCE; the callback signs the person in.
 */
export function SsoSignIn({ tenant }: { tenant: string }) {
  const [provider, setProvider] = useState('');
  function start(event: FormEvent) {
    event.preventDefault();
    const path = `/api/v1/auth/sso/${encodeURIComponent(tenant)}/${encodeURIComponent(provider.trim())}/start`;
    window.location.assign(path);
  }
  return (
    <Disclosure>
      <Heading level={2} className="small">
        <Button slot="trigger" className="react-aria-Button quiet wide">
          Sign in with single sign-on
        </Button>
      </Heading>
      <DisclosurePanel>
        <form className="stack" onSubmit={start}>
          <TextInput
            label="Identity provider"
            value={provider}
            onChange={setProvider}
            isRequired
            pattern="[a-z0-9][a-z0-9\-]{1,39}"
            description="The name your administrator gave you, for example corp-idp"
          />
          <Button type="submit" className="react-aria-Button wide">
            Continue to your identity provider
          </Button>
        </form>
      </DisclosurePanel>
    </Disclosure>
  );
}
