import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { api, STEP_UP_EVENT, unwrap } from '../api/client.ts';
import { ErrorBanner, Notice } from '../ui/feedback.tsx';
import { type MfaMethod, type MfaProof, SecondFactorForm } from './second-factor-form.tsx';

/**
 * Opens whenever the server refuses an action for want of a fresh second factor (PCI DSS 8.4:
 * reveal, detokenize, exports, security changes). After the check, the person repeats the action.
 */
export function StepUpDialog() {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const onStepUp = () => {
      setDone(false);
      setError(null);
      setOpen(true);
    };
    window.addEventListener(STEP_UP_EVENT, onStepUp);
    return () => window.removeEventListener(STEP_UP_EVENT, onStepUp);
  }, []);

  async function verify(proof: MfaProof) {
    setBusy(true);
    setError(null);
    try {
      unwrap(await api.POST('/api/v1/auth/step-up', { body: { proof } }));
      setDone(true);
      await client.invalidateQueries({ queryKey: ['session'] });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  // Offer only the factors the person has (a passkey prompt without a passkey is a dead end).
  const factors = useQuery({
    queryKey: ['account', 'mfa'],
    queryFn: async () => unwrap(await api.GET('/api/v1/auth/mfa')),
    enabled: open,
  });
  const methods: MfaMethod[] = factors.data
    ? [
        ...(factors.data.passkeys.length > 0 ? (['passkey'] as const) : []),
        ...(factors.data.totp ? (['totp'] as const) : []),
        'recovery',
      ]
    : ['passkey', 'totp', 'recovery'];

  const passkeyOptions = async () => unwrap(await api.POST('/api/v1/auth/step-up/passkey-options')).options;

  return (
    <ModalOverlay isOpen={open} onOpenChange={setOpen} isDismissable>
      <Modal>
        <Dialog aria-label="Confirm it's you">
          <div className="stack">
            <Heading slot="title">Confirm it's you</Heading>
            {done ? (
              <>
                <Notice tone="ok">Verified. You can now repeat the action.</Notice>
                <button type="button" className="react-aria-Button primary" onClick={() => setOpen(false)}>
                  Continue
                </button>
              </>
            ) : (
              <>
                <p className="muted">This action needs a recent second-factor check.</p>
                <ErrorBanner error={error} />
                <SecondFactorForm
                  methods={methods}
                  passkeyOptions={passkeyOptions}
                  onProof={verify}
                  busy={busy}
                />
              </>
            )}
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
