import { type FormEvent, useState } from 'react';
import { Button } from 'react-aria-components';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import { ErrorBanner, Notice } from '../ui/feedback.tsx';
import { TextInput } from '../ui/fields.tsx';
import { AuthLayout } from './auth-layout.tsx';
import { type MfaMethod, type MfaProof, SecondFactorForm } from './second-factor-form.tsx';
import { useSession } from './session.tsx';
import { SsoSignIn, ssoErrorFromFragment } from './sso-sign-in.tsx';

interface Challenge {
  challengeToken: string;
  methods: MfaMethod[];
  passkeyOptions: unknown;
}

/** Email and password, then a second factor when the account has one. */
export function SignInPage() {
  const { refresh, endedReason } = useSession();
  const [tenant, setTenant] = useState('default');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<Challenge | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [ssoError] = useState(ssoErrorFromFragment);

  async function run(step: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await step();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  function submitPassword(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const result = unwrap(await api.POST('/api/v1/auth/login', { body: { tenant, email, password } }));
      setPassword('');
      if (result.status === 'mfa_required') {
        setChallenge({
          challengeToken: result.challengeToken,
          methods: result.methods,
          passkeyOptions: result.passkeyOptions,
        });
      } else {
        await refresh();
      }
    });
  }

  async function submitProof(proof: MfaProof) {
    if (!challenge) return;
    await run(async () => {
      const result = unwrap(
        await api.POST('/api/v1/auth/login/mfa', {
          body: { challengeToken: challenge.challengeToken, proof },
        }),
      );
      if (result.status === 'mfa_required') throw new Error('another verification is needed; try again');
      await refresh();
    });
  }

  if (challenge) {
    return (
      <AuthLayout title="Verify it's you">
        <p className="muted">Your account is protected by a second factor.</p>
        <ErrorBanner error={error} />
        <SecondFactorForm
          methods={challenge.methods}
          passkeyOptions={challenge.passkeyOptions}
          onProof={submitProof}
          busy={busy}
        />
        <Button className="react-aria-Button quiet" onPress={() => setChallenge(null)}>
          Start over
        </Button>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title="Sign in">
      {endedReason === 'expired' ? (
        <Notice tone="warn">
          Your session ended (inactivity or sign-out elsewhere). Sign in again to continue.
        </Notice>
      ) : null}
      {ssoError ? <Notice tone="error">{ssoError}</Notice> : null}
      <ErrorBanner error={error} />
      <form className="stack" onSubmit={submitPassword} aria-label="Sign in">
        <TextInput
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          isRequired
          autoComplete="username"
          autoFocus
        />
        <TextInput
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          isRequired
          autoComplete="current-password"
        />
        <TextInput
          label="Organization"
          value={tenant}
          onChange={setTenant}
          isRequired
          description="The tenant you belong to (default for a single-company install)"
        />
        <Button type="submit" className="react-aria-Button primary wide" isDisabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
      <Link to="/reset-password" className="small">
        Forgot your password?
      </Link>
      <SsoSignIn tenant={tenant} />
    </AuthLayout>
  );
}
