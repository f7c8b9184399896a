import { Button } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import type { paths } from '../api/schema.d.ts';
import { CheckboxInput, TextInput } from '../ui/fields.tsx';

type Policy =
  paths['/api/v1/access/policy']['get']['responses'][200]['content']['application/json']['policy'];
export type TimeWindow = Policy['roleWindows'][number]['windows'][number];
type Weekday = TimeWindow['days'][number];

const DAYS: { id: Weekday; label: string }[] = [
  { id: 'mon', label: 'Mon' },
  { id: 'tue', label: 'Tue' },
  { id: 'wed', label: 'Wed' },
  { id: 'thu', label: 'Thu' },
  { id: 'fri', label: 'Fri' },
  { id: 'sat', label: 'Sat' },
  { id: 'sun', label: 'Sun' },
];

export const newWindow = (): TimeWindow => ({
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '08:00',
  end: '18:00',
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
});

export function describeWindow(w: TimeWindow): string {
  const days = DAYS.filter((d) => w.days.includes(d.id)).map((d) => d.label);
  return `${days.join(' ')} ${w.start}-${w.end} ${w.timeZone}`;
}

/** Checks what the browser can check before anything is written (the server checks it all again). */
export function windowProblems(windows: readonly TimeWindow[]): string | null {
  for (const [i, w] of windows.entries()) {
    const which = `working hours ${i + 1}`;
    if (w.days.length === 0) return `${which}: choose at least one day`;
    if (!/^\d{2}:\d{2}$/.test(w.start) || !/^\d{2}:\d{2}$/.test(w.end))
      return `${which}: start and end must be HH:MM`;
    if (w.start === w.end) return `${which}: start and end must differ`;
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: w.timeZone });
    } catch {
      return `${which}: "${w.timeZone}" is not a time zone such as Europe/Paris`;
    }
  }
  return null;
}

/**
 * Replaces one role's working hours in the tenant's access policy (the policy is replaced whole,
 * validated and audited by the server). No window at all removes the role's entry.
 */
export async function saveRoleWindows(role: string, windows: TimeWindow[]): Promise<void> {
  const { policy } = unwrap(await api.GET('/api/v1/access/policy'));
  const others = policy.roleWindows.filter((entry) => entry.role !== role);
  const roleWindows = windows.length > 0 ? [...others, { role, windows }] : others;
  unwrap(await api.PUT('/api/v1/access/policy', { body: { ...policy, roleWindows } }));
}

/** Working hours of a role: outside them its permissions do not apply (a shift, office hours). */
export function RoleWindowsEditor(props: {
  windows: TimeWindow[];
  onChange: (windows: TimeWindow[]) => void;
}) {
  const update = (index: number, changes: Partial<TimeWindow>) =>
    props.onChange(props.windows.map((w, i) => (i === index ? { ...w, ...changes } : w)));
  return (
    <fieldset className="plain stack">
      <legend className="react-aria-Label">Working hours</legend>
      <p className="small muted">
        {props.windows.length === 0
          ? 'No limit: the role applies at any time.'
          : 'The role applies only inside these windows, in their time zone.'}
      </p>
      {props.windows.map((w, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: windows are an ordered list without ids
        <fieldset key={index} className="card stack">
          <legend className="small">Working hours {index + 1}</legend>
          <div className="row">
            {DAYS.map((day) => (
              <CheckboxInput
                key={day.id}
                isSelected={w.days.includes(day.id)}
                onChange={(on) =>
                  update(index, {
                    days: on ? [...w.days, day.id] : w.days.filter((d) => d !== day.id),
                  })
                }
              >
                {day.label}
              </CheckboxInput>
            ))}
          </div>
          <div className="form-grid">
            <TextInput
              label="From"
              type="text"
              value={w.start}
              onChange={(start) => update(index, { start })}
              pattern="\d{2}:\d{2}"
              placeholder="08:00"
            />
            <TextInput
              label="Until"
              type="text"
              value={w.end}
              onChange={(end) => update(index, { end })}
              pattern="\d{2}:\d{2}"
              placeholder="18:00"
            />
            <TextInput
              label="Time zone"
              value={w.timeZone}
              onChange={(timeZone) => update(index, { timeZone })}
              maxLength={64}
            />
          </div>
          <div className="row">
            <Button
              className="react-aria-Button small"
              onPress={() => props.onChange(props.windows.filter((_, i) => i !== index))}
            >
              Remove these hours
            </Button>
          </div>
        </fieldset>
      ))}
      <div className="row">
        <Button
          className="react-aria-Button small"
          onPress={() => props.onChange([...props.windows, newWindow()])}
        >
          Add working hours
        </Button>
      </div>
    </fieldset>
  );
}
