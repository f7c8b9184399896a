import { type FormEvent, useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import { ErrorBanner, Notice } from '../ui/feedback.tsx';
import { TextInput } from '../ui/fields.tsx';
import { AuthLayout } from './auth-layout.tsx';
import { PasskeyEnrollment, RecoveryCodes, TotpEnrollment } from './mfa-enrollment.tsx';
import { useSession } from './session.tsx';

/**
 * A session in the `mfa_enrollment` stage can do nothing but enrol a second factor (the tenant
 * policy or the person's role demands one, PCI DSS 8.4). Recovery codes are shown before moving on.
 */
export function MfaEnrollmentGate() {
  const { refresh, signOut } = useSession();
  const [codes, setCodes] = useState<string[] | null>(null);
  const finished = (recoveryCodes: string[] | null) => {
    if (recoveryCodes && recoveryCodes.length > 0) setCodes(recoveryCodes);
    else void refresh();
  };
  return (
    <AuthLayout title="Set up a second factor">
      {codes ? (
        <RecoveryCodes codes={codes} onDone={() => void refresh()} />
      ) : (
        <>
          <Notice tone="info">Your organization requires a second factor before you can use Vigil.</Notice>
          <h2>Passkey</h2>
          <PasskeyEnrollment onEnrolled={finished} />
          <div className="divider">or</div>
          <h2>Authenticator app</h2>
          <TotpEnrollment onEnrolled={finished} />
          <Button className="react-aria-Button quiet" onPress={() => void signOut()}>
            Sign out
          </Button>
        </>
      )}
    </AuthLayout>
  );
}

/** The password expired under the tenant's rotation policy: change it to continue. */
export function PasswordChangeGate() {
  const { refresh, signOut } = useSession();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      unwrap(await api.POST('/api/v1/auth/password', { body: { currentPassword, newPassword } }));
      await refresh();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <AuthLayout title="Choose a new password">
      <Notice tone="warn">Your password has expired under your organization's policy.</Notice>
      <ErrorBanner error={error} />
      <form className="stack" onSubmit={submit}>
        <TextInput
          label="Current password"
          type="password"
          value={currentPassword}
          onChange={setCurrent}
          isRequired
          autoComplete="current-password"
        />
        <TextInput
          label="New password"
          type="password"
          value={newPassword}
          onChange={setNew}
          isRequired
          minLength={12}
          autoComplete="new-password"
        />
        <Button type="submit" className="react-aria-Button primary wide" isDisabled={busy}>
          Change password
        </Button>
      </form>
      <Button className="react-aria-Button quiet" onPress={() => void signOut()}>
        Sign out
      </Button>
    </AuthLayout>
  );
}
