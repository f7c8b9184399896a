import { type Key, type ReactNode, useId } from 'react';
import {
  Button,
  Checkbox,
  FieldError,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
  Text,
  TextArea,
  TextField,
} from 'react-aria-components';

interface TextInputProps {
  label: string;
  name?: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'password' | 'search' | 'url' | 'number' | 'datetime-local' | 'date';
  description?: string;
  isRequired?: boolean;
  autoComplete?: string;
  autoFocus?: boolean;
  inputMode?: 'numeric' | 'text' | 'email';
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  placeholder?: string;
  className?: string;
  multiline?: boolean;
  /** The server's word on this field (shown under it, read to screen readers); clears on edit. */
  error?: string | undefined;
}

/** A labelled text input; validation messages come from the browser or React Aria, read to screen readers. */
export function TextInput(props: TextInputProps) {
  return (
    <TextField
      name={props.name}
      value={props.value}
      onChange={props.onChange}
      type={props.multiline ? undefined : (props.type ?? 'text')}
      isRequired={props.isRequired}
      autoComplete={props.autoComplete}
      autoFocus={props.autoFocus}
      inputMode={props.inputMode}
      maxLength={props.maxLength}
      minLength={props.minLength}
      pattern={props.pattern}
      // A server-side error is shown through ARIA; native validation would block the next submit.
      validationBehavior={props.error ? 'aria' : 'native'}
      isInvalid={props.error ? true : undefined}
    >
      <Label>{props.label}</Label>
      {props.multiline ? (
        <TextArea rows={3} placeholder={props.placeholder} />
      ) : (
        <Input className={`react-aria-Input ${props.className ?? ''}`} placeholder={props.placeholder} />
      )}
      {props.description ? <Text slot="description">{props.description}</Text> : null}
      <FieldError>{props.error}</FieldError>
    </TextField>
  );
}

export interface Option {
  id: string;
  label: string;
}

export function SelectInput(props: {
  label: string;
  options: readonly Option[];
  value: string;
  onChange: (value: string) => void;
  isRequired?: boolean;
}) {
  return (
    <Select
      selectedKey={props.value}
      onSelectionChange={(key: Key | null) => props.onChange(key === null ? '' : String(key))}
      isRequired={props.isRequired}
    >
      <Label>{props.label}</Label>
      <Button>
        <SelectValue />
        <span aria-hidden="true">▾</span>
      </Button>
      <Popover>
        <ListBox items={props.options}>
          {(item) => <ListBoxItem id={item.id}>{item.label}</ListBoxItem>}
        </ListBox>
      </Popover>
    </Select>
  );
}

export function CheckboxInput(props: {
  children: ReactNode;
  isSelected: boolean;
  onChange: (v: boolean) => void;
}) {
  return (
    <Checkbox isSelected={props.isSelected} onChange={props.onChange}>
      <span className="box" aria-hidden="true">
        {props.isSelected ? '✓' : ''}
      </span>
      {props.children}
    </Checkbox>
  );
}

/**
 * A native select: compact inside tables (one per row) where a popover list would be heavy.
 * `hideLabel` keeps the label for screen readers only.
 */
export function NativeSelect(props: {
  label: string;
  value: string;
  options: readonly Option[];
  onChange: (value: string) => void;
  hideLabel?: boolean;
  isDisabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className={props.hideLabel ? 'visually-hidden' : 'react-aria-Label'}>
        {props.label}
      </label>
      <select
        id={id}
        className="native"
        value={props.value}
        disabled={props.isDisabled}
        onChange={(event) => props.onChange(event.target.value)}
      >
        {props.options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
