import { useEffect, useState } from 'react';

const NAMES = [
  '--chart-1',
  '--chart-2',
  '--chart-3',
  '--chart-4',
  '--chart-5',
  '--chart-6',
  '--text-muted',
  '--border',
  '--surface',
];

function read(): Record<string, string> {
  const style = getComputedStyle(document.documentElement);
  return Object.fromEntries(NAMES.map((name) => [name, style.getPropertyValue(name).trim()]));
}

/**
 * The chart palette from the CSS tokens, re-read when the theme changes (toggle or OS), so SVG
 * fills get concrete colours without any inline style sheet.
 */
export function useChartColors() {
  const [colors, setColors] = useState(read);
  useEffect(() => {
    const update = () => setColors(read());
    const observer = new MutationObserver(update);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', update);
    return () => {
      observer.disconnect();
      media.removeEventListener('change', update);
    };
  }, []);
  const series = ['--chart-1', '--chart-2', '--chart-3', '--chart-4', '--chart-5', '--chart-6'].map(
    (n) => colors[n] ?? '#888',
  );
  return {
    series,
    muted: colors['--text-muted'] ?? '#666',
    grid: colors['--border'] ?? '#ccc',
    surface: colors['--surface'] ?? '#fff',
  };
}
