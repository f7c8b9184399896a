import type { Key, ReactNode } from 'react';
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
      validationBehavior="native"
    >
      <Label>{props.label}</Label>
      {props.multiline ? (
        <TextArea rows={3} placeholder={props.placeholder} />
      ) : (
        <Input className={`react-aria-Input ${props.className ?? ''}`} placeholder={props.placeholder} />
      )}
      {props.description ? <Text slot="description">{props.description}</Text> : null}
      <FieldError />
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
