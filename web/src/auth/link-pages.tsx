import { type FormEvent, useState } from 'react';
import { Button } from 'react-aria-components';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import { ErrorBanner, Notice } from '../ui/feedback.tsx';
import { TextInput } from '../ui/fields.tsx';
import { AuthLayout } from './auth-layout.tsx';
import { useSession } from './session.tsx';

/** One-time links carry their token in the URL fragment, which browsers never send to a server. */
function tokenFromFragment(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}

function useSubmit() {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
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
  return { error, busy, run };
}

const PASSWORD_HELP =
  'At least 12 characters (15 if you will not use a second factor). Long passphrases are best; common and breached passwords are refused.';

function NewPasswordFields(props: {
  password: string;
  setPassword: (v: string) => void;
  confirm: string;
  setConfirm: (v: string) => void;
}) {
  return (
    <>
      <TextInput
        label="New password"
        type="password"
        value={props.password}
        onChange={props.setPassword}
        isRequired
        minLength={12}
        maxLength={1024}
        autoComplete="new-password"
        description={PASSWORD_HELP}
      />
      <TextInput
        label="Repeat the password"
        type="password"
        value={props.confirm}
        onChange={props.setConfirm}
        isRequired
        autoComplete="new-password"
      />
    </>
  );
}

/** The first administrator's enrollment, from the link `vigil init` / `vigil serve` printed. */
export function BootstrapPage() {
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [token] = useState(tokenFromFragment);
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const { error, busy, run } = useSubmit();
  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      if (password !== confirm) throw new Error('the two passwords differ');
      unwrap(await api.POST('/api/v1/auth/bootstrap', { body: { token, email, displayName, password } }));
      await refresh();
      navigate('/', { replace: true });
    });
  }
  return (
    <AuthLayout title="Create the first administrator">
      {!token ? <Notice tone="error">This page needs the one-time link printed by vigil init.</Notice> : null}
      <ErrorBanner error={error} />
      <form className="stack" onSubmit={submit}>
        <TextInput
          label="Your name"
          value={displayName}
          onChange={setDisplayName}
          isRequired
          autoComplete="name"
        />
        <TextInput
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          isRequired
          autoComplete="username"
        />
        <NewPasswordFields
          password={password}
          setPassword={setPassword}
          confirm={confirm}
          setConfirm={setConfirm}
        />
        <Button type="submit" className="react-aria-Button primary wide" isDisabled={busy || !token}>
          Create account
        </Button>
      </form>
    </AuthLayout>
  );
}

/** An invited person chooses a password; a second factor is enrolled next when required. */
export function InvitationPage() {
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [token] = useState(tokenFromFragment);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const { error, busy, run } = useSubmit();
  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      if (password !== confirm) throw new Error('the two passwords differ');
      unwrap(await api.POST('/api/v1/auth/invitation/accept', { body: { token, password } }));
      await refresh();
      navigate('/', { replace: true });
    });
  }
  return (
    <AuthLayout title="Accept your invitation">
      {!token ? <Notice tone="error">This page needs the link from your invitation email.</Notice> : null}
      <ErrorBanner error={error} />
      <form className="stack" onSubmit={submit}>
        <NewPasswordFields
          password={password}
          setPassword={setPassword}
          confirm={confirm}
          setConfirm={setConfirm}
        />
        <Button type="submit" className="react-aria-Button primary wide" isDisabled={busy || !token}>
          Set password and continue
        </Button>
      </form>
    </AuthLayout>
  );
}

/** Without a token: ask for the reset email. With one: choose the new password. */
export function PasswordResetPage() {
  const navigate = useNavigate();
  const [token] = useState(tokenFromFragment);
  const [tenant, setTenant] = useState('default');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [sent, setSent] = useState(false);
  const { error, busy, run } = useSubmit();
  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      if (!token) {
        unwrap(await api.POST('/api/v1/auth/password-reset/request', { body: { tenant, email } }));
        setSent(true);
        return;
      }
      if (password !== confirm) throw new Error('the two passwords differ');
      unwrap(await api.POST('/api/v1/auth/password-reset/complete', { body: { token, password } }));
      navigate('/', { replace: true });
    });
  }
  return (
    <AuthLayout title="Reset your password">
      <ErrorBanner error={error} />
      {sent ? (
        <Notice tone="ok">
          If an account exists for this email, a reset link is on its way. It works once, for a short time.
        </Notice>
      ) : (
        <form className="stack" onSubmit={submit}>
          {token ? (
            <NewPasswordFields
              password={password}
              setPassword={setPassword}
              confirm={confirm}
              setConfirm={setConfirm}
            />
          ) : (
            <>
              <TextInput
                label="Email"
                type="email"
                value={email}
                onChange={setEmail}
                isRequired
                autoComplete="username"
              />
              <TextInput label="Organization" value={tenant} onChange={setTenant} isRequired />
            </>
          )}
          <Button type="submit" className="react-aria-Button primary wide" isDisabled={busy}>
            {token ? 'Set new password' : 'Email me a reset link'}
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
