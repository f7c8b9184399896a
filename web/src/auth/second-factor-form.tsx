import {
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
} from '@simplewebauthn/browser';
import { type FormEvent, useState } from 'react';
import { Button } from 'react-aria-components';
import { TextInput } from '../ui/fields.tsx';

export type MfaMethod = 'totp' | 'passkey' | 'recovery';

/** The proof the server accepts (identity's mfaProofSchema). */
export type MfaProof =
  | { method: 'totp'; code: string }
  | { method: 'recovery'; code: string }
  // A plain object (not the library's interface) so it matches the API's open JSON schema.
  | {
      method: 'passkey';
      response: { [key: string]: unknown } & Pick<AuthenticationResponseJSON, 'id' | 'rawId' | 'type'>;
    };

/**
 * Asks for one second factor: a passkey (WebAuthn in the browser), a 6-digit authenticator
 * code, or a recovery code. Used for sign-in and for step-up.
 */
export function SecondFactorForm(props: {
  methods: readonly MfaMethod[];
  /** WebAuthn request options from the server, or a function that fetches them. */
  passkeyOptions: unknown | (() => Promise<unknown>);
  onProof: (proof: MfaProof) => Promise<void>;
  busy: boolean;
}) {
  const [mode, setMode] = useState<'totp' | 'recovery'>(props.methods.includes('totp') ? 'totp' : 'recovery');
  const [code, setCode] = useState('');
  const [passkeyError, setPasskeyError] = useState<string | null>(null);

  async function signWithPasskey() {
    setPasskeyError(null);
    try {
      const options =
        typeof props.passkeyOptions === 'function' ? await props.passkeyOptions() : props.passkeyOptions;
      const response = await startAuthentication({
        optionsJSON: options as PublicKeyCredentialRequestOptionsJSON,
      });
      await props.onProof({ method: 'passkey', response: { ...response } });
    } catch (error) {
      setPasskeyError(error instanceof Error ? error.message : 'the passkey was not used');
    }
  }

  async function submitCode(event: FormEvent) {
    event.preventDefault();
    await props.onProof(
      mode === 'totp' ? { method: 'totp', code: code.trim() } : { method: 'recovery', code: code.trim() },
    );
    setCode('');
  }

  return (
    <div className="stack">
      {props.methods.includes('passkey') ? (
        <>
          <Button
            className="react-aria-Button primary wide"
            onPress={() => void signWithPasskey()}
            isDisabled={props.busy}
          >
            Use a passkey
          </Button>
          {passkeyError ? (
            <p className="banner error" role="alert">
              {passkeyError}
            </p>
          ) : null}
          <div className="divider">or</div>
        </>
      ) : null}
      <form className="stack" onSubmit={submitCode}>
        {mode === 'totp' ? (
          <TextInput
            label="Code from your authenticator app"
            value={code}
            onChange={setCode}
            isRequired
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6}"
            maxLength={6}
            className="code-input"
            autoFocus={!props.methods.includes('passkey')}
          />
        ) : (
          <TextInput
            label="Recovery code"
            value={code}
            onChange={setCode}
            isRequired
            autoComplete="off"
            maxLength={20}
          />
        )}
        <Button type="submit" className="react-aria-Button primary wide" isDisabled={props.busy}>
          {props.busy ? 'Checking…' : 'Verify'}
        </Button>
      </form>
      {props.methods.includes('recovery') && props.methods.includes('totp') ? (
        <Button
          className="react-aria-Button quiet"
          onPress={() => setMode(mode === 'totp' ? 'recovery' : 'totp')}
        >
          {mode === 'totp' ? 'Use a recovery code instead' : 'Use the authenticator app instead'}
        </Button>
      ) : null}
    </div>
  );
}
