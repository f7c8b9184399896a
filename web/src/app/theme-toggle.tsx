import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { applyTheme, effectiveTheme, storedTheme, type ThemeChoice } from '../ui/theme.ts';

/** Cycles the theme; the label names what the next press does, for screen readers too. */
export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>(storedTheme);
  useEffect(() => applyTheme(choice), [choice]);
  const current = effectiveTheme(choice);
  const next = current === 'dark' ? 'light' : 'dark';
  return (
    <Button
      className="react-aria-Button quiet"
      aria-label={`Switch to ${next} theme`}
      onPress={() => setChoice(next)}
    >
      <span aria-hidden="true">{current === 'dark' ? '☀' : '☾'}</span>
      <span className="small">{next === 'dark' ? 'Dark' : 'Light'}</span>
    </Button>
  );
}
