import { type PublicKeyCredentialCreationOptionsJSON, startRegistration } from '@simplewebauthn/browser';
import { type FormEvent, useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import { ErrorBanner, Notice } from '../ui/feedback.tsx';
import { TextInput } from '../ui/fields.tsx';

/** Recovery codes are shown once, right after they are made; Vigil keeps only their hashes. */
export function RecoveryCodes({ codes, onDone }: { codes: readonly string[]; onDone: () => void }) {
  return (
    <div className="stack">
      <Notice tone="warn">
        Save these recovery codes somewhere safe. Each works once if you lose your authenticator. They will
        not be shown again.
      </Notice>
      <ol className="codes-list" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <Button className="react-aria-Button primary" onPress={onDone}>
        I have saved them
      </Button>
    </div>
  );
}

type TotpStart = { secret: string; uri: string; qrDataUrl: string };

/** Authenticator app: scan the QR code (or type the secret), then prove it with a first code. */
export function TotpEnrollment({ onEnrolled }: { onEnrolled: (recoveryCodes: string[] | null) => void }) {
  const [start, setStart] = useState<TotpStart | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function begin() {
    setError(null);
    try {
      setStart(unwrap(await api.POST('/api/v1/auth/mfa/totp')));
    } catch (caught) {
      setError(caught);
    }
  }

  async function confirm(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = unwrap(await api.POST('/api/v1/auth/mfa/totp/confirm', { body: { code: code.trim() } }));
      setStart(null);
      setCode('');
      onEnrolled(result.recoveryCodes);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  if (!start) {
    return (
      <div className="stack">
        <ErrorBanner error={error} />
        <Button className="react-aria-Button" onPress={() => void begin()}>
          Set up an authenticator app
        </Button>
      </div>
    );
  }
  return (
    <form className="stack" onSubmit={confirm} aria-label="Authenticator app enrollment">
      <p>Scan this code with your authenticator app, then type the 6-digit code it shows.</p>
      <img className="qr" src={start.qrDataUrl} alt="QR code to add Vigil to an authenticator app" />
      <details>
        <summary>Can't scan? Type this key instead</summary>
        <p className="secret-box" data-testid="totp-secret">
          {start.secret}
        </p>
      </details>
      <TextInput
        label="6-digit code"
        value={code}
        onChange={setCode}
        isRequired
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="\d{6}"
        maxLength={6}
        className="code-input"
      />
      <ErrorBanner error={error} />
      <Button type="submit" className="react-aria-Button primary" isDisabled={busy}>
        Confirm
      </Button>
    </form>
  );
}

/** Passkey registration through the browser's WebAuthn API (platform or security key). */
export function PasskeyEnrollment({ onEnrolled }: { onEnrolled: (recoveryCodes: string[] | null) => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function register(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { options } = unwrap(await api.POST('/api/v1/auth/mfa/passkeys/options'));
      const response = await startRegistration({
        optionsJSON: options as PublicKeyCredentialCreationOptionsJSON,
      });
      const result = unwrap(
        await api.POST('/api/v1/auth/mfa/passkeys', { body: { name, response: { ...response } } }),
      );
      setName('');
      onEnrolled(result.recoveryCodes ?? null);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={register} aria-label="Passkey registration">
      <TextInput
        label="Passkey name"
        value={name}
        onChange={setName}
        isRequired
        maxLength={100}
        placeholder="Work laptop"
      />
      <ErrorBanner error={error} />
      <Button type="submit" className="react-aria-Button" isDisabled={busy}>
        {busy ? 'Waiting for the passkey…' : 'Add a passkey'}
      </Button>
    </form>
  );
}
