import { type FormEvent, type ReactNode, useState } from 'react';
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { ErrorBanner } from './feedback.tsx';

/**
 * A modal form: focus is trapped inside, Escape closes it, and the submit button shows progress.
 * `onSubmit` throws to keep the dialog open with the server's message.
 */
export function FormDialog(props: {
  title: string;
  isOpen: boolean;
  onOpenChange: (open: boolean) => void;
  submitLabel: string;
  tone?: 'primary' | 'danger';
  /** For forms with tables (role editor): a wider modal. */
  wide?: boolean;
  onSubmit: () => Promise<void>;
  children: ReactNode;
}) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit();
      props.onOpenChange(false);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }
  return (
    <ModalOverlay isOpen={props.isOpen} onOpenChange={props.onOpenChange} isDismissable>
      <Modal className={props.wide ? 'react-aria-Modal wide' : 'react-aria-Modal'}>
        <Dialog>
          <form className="stack" onSubmit={submit}>
            <Heading slot="title">{props.title}</Heading>
            {props.children}
            <ErrorBanner error={error} />
            <div className="row">
              <Button
                type="submit"
                className={`react-aria-Button ${props.tone ?? 'primary'}`}
                // Never disabled while busy: a disabled button drops focus out of the dialog (and Escape
                // with it); a second press while busy is ignored by submit() instead.
              >
                {busy ? 'Working…' : props.submitLabel}
              </Button>
              <Button onPress={() => props.onOpenChange(false)}>Cancel</Button>
            </div>
          </form>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
