import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button, Disclosure, DisclosurePanel, Heading } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';

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

const TENANT = /^[a-z0-9][a-z0-9-]{1,39}$/;

/** The tenant's enabled providers (names and start URLs only), asked once the person stops typing. */
function useSignInProviders(tenant: string) {
  const [settled, setSettled] = useState(tenant);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(tenant.trim()), 300);
    return () => clearTimeout(timer);
  }, [tenant]);
  return useQuery({
    queryKey: ['sso', 'sign-in', settled],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/auth/sso/{tenant}/providers', { params: { path: { tenant: settled } } }))
        .providers,
    enabled: TENANT.test(settled),
    staleTime: 60_000,
    retry: false,
  });
}

/** Only the path of a start URL is followed, on this origin: the console never leaves for a host it was handed. */
function startPath(startUrl: string): string {
  const url = new URL(startUrl, window.location.origin);
  return `${url.pathname}${url.search}`;
}

/**
 * Single sign-on through the tenant's OpenID Connect providers: shown only when the tenant typed
 * has one enabled. The browser goes to the server's start URL, which redirects to the provider
 * with PKCE; the callback signs the person in.
 */
export function SsoSignIn({ tenant }: { tenant: string }) {
  const providers = useSignInProviders(tenant);
  const list = providers.data ?? [];
  if (list.length === 0) return null;
  return (
    <>
      <div className="divider">or</div>
      <Disclosure>
        <Heading level={2} className="small">
          <Button slot="trigger" className="react-aria-Button wide">
            Sign in with SSO
          </Button>
        </Heading>
        <DisclosurePanel>
          <ul className="stack plain-list" aria-label="Identity providers">
            {list.map((provider) => (
              <li key={provider.startUrl}>
                <Button
                  className="react-aria-Button primary wide"
                  onPress={() => window.location.assign(startPath(provider.startUrl))}
                >
                  Continue with {provider.displayName}
                </Button>
              </li>
            ))}
          </ul>
        </DisclosurePanel>
      </Disclosure>
    </>
  );
}
