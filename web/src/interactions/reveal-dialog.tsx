import { useState } from 'react';
import { api, unwrap } from '../api/client.ts';
import { FormDialog } from '../ui/dialogs.tsx';
import { Notice } from '../ui/feedback.tsx';
import { TextInput } from '../ui/fields.tsx';

export interface RevealTarget {
  field: string;
  label: string;
  /** A card number's vault token: the vault detokenizes it (vault.detokenize) instead of a reveal. */
  token?: string;
}

/**
 * Reveal one field with a reason. The reason and the field go in the audit log with the reader;
 * the value is shown in this view only and never cached by the query layer.
 */
export function RevealDialog(props: {
  interactionId: string;
  target: RevealTarget | null;
  onClose: () => void;
  onRevealed: (field: string, value: string) => void;
}) {
  const [reason, setReason] = useState('');
  return (
    <FormDialog
      title={props.target ? `Reveal ${props.target.label.toLowerCase()}` : 'Reveal'}
      isOpen={props.target !== null}
      onOpenChange={(open) => {
        if (!open) {
          setReason('');
          props.onClose();
        }
      }}
      submitLabel="Reveal"
      onSubmit={async () => {
        const target = props.target;
        if (!target) return;
        if (target.token) {
          const card = unwrap(
            await api.POST('/api/v1/vault/tokens/{token}/detokenize', {
              params: { path: { token: target.token } },
              body: { reason },
            }),
          );
          props.onRevealed(target.field, card.pan);
        } else {
          const result = unwrap(
            await api.POST('/api/v1/interactions/{id}/reveal', {
              params: { path: { id: props.interactionId } },
              body: { field: target.field, reason },
            }),
          );
          props.onRevealed(result.field, result.value);
        }
        setReason('');
      }}
    >
      <Notice tone="info">
        Revealing is recorded in the audit log with your name and reason, and may need a fresh second-factor
        check.
      </Notice>
      <TextInput
        label="Reason"
        value={reason}
        onChange={setReason}
        isRequired
        minLength={10}
        maxLength={500}
        multiline
        description="For example the ticket number and why the customer's data is needed (at least 10 characters)."
        autoFocus
      />
    </FormDialog>
  );
}
