import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client.ts';
import { FormDialog } from '../ui/dialogs.tsx';
import { NativeSelect, TextInput } from '../ui/fields.tsx';

interface ReviewedGrant {
  id: string;
  userName: string;
  grantName: string;
}

/**
 * "Change": the reviewed role is replaced by another (usually narrower) one in one decision,
 * applied at once and audited like keep and revoke.
 */
export function ChangeRoleDialog(props: {
  item: ReviewedGrant | null;
  onOpenChange: (open: boolean) => void;
  onDecide: (item: ReviewedGrant, changeTo: string, note: string) => Promise<void>;
}) {
  const { item } = props;
  const roles = useQuery({
    queryKey: ['access', 'roles', 'names'],
    queryFn: async () => unwrap(await api.GET('/api/v1/access/roles')).roles,
    enabled: item !== null,
    retry: false,
  });
  const choices = (roles.data ?? []).filter((r) => r.name !== item?.grantName);
  const [changeTo, setChangeTo] = useState('');
  const [note, setNote] = useState('');
  // A new item starts a blank decision; a refetch of the same item (new object) keeps the draft.
  const [itemId, setItemId] = useState(item?.id);
  if (item?.id !== itemId) {
    setItemId(item?.id);
    setChangeTo('');
    setNote('');
  }
  return (
    <FormDialog
      title={item ? `Change ${item.grantName} for ${item.userName}` : 'Change role'}
      isOpen={item !== null}
      onOpenChange={props.onOpenChange}
      submitLabel="Change role"
      onSubmit={async () => {
        if (!item) return;
        if (!changeTo) throw new Error('choose the role that replaces this one');
        await props.onDecide(item, changeTo, note);
      }}
    >
      <p className="small muted">
        {item ? `${item.userName} loses ${item.grantName} and holds the role chosen here instead.` : ''}
      </p>
      {roles.error ? (
        <TextInput label="Replacement role name" value={changeTo} onChange={setChangeTo} isRequired />
      ) : (
        <NativeSelect
          label="Replace with"
          value={changeTo}
          onChange={setChangeTo}
          options={[
            { id: '', label: 'Choose a role…' },
            ...choices.map((r) => ({
              id: r.name,
              label: `${r.displayName} (${r.grants.length} permissions)`,
            })),
          ]}
        />
      )}
      <TextInput label="Note" value={note} onChange={setNote} maxLength={500} multiline />
    </FormDialog>
  );
}
