import type { ReactNode } from 'react';
import { Button } from 'react-aria-components';
import { entityLabel, redactionKind } from './redaction-kinds.ts';

export interface FindingView {
  type: string;
  start: number;
  end: number;
  token?: string | undefined;
  revealable: boolean;
}

export interface SegmentView {
  role: string;
  participantRef?: string | undefined;
  text: string;
  startMs?: number | undefined;
  sentAtMs?: number | undefined;
  internal?: boolean | undefined;
  findings: FindingView[];
}

interface TranscriptProps {
  segments: readonly SegmentView[];
  speakerName: (segment: SegmentView) => string;
  /** Values revealed in this view, keyed by field path (`segments[3].findings[0]`). */
  revealed: ReadonlyMap<string, string>;
  /** Present only for readers who may reveal; absent, placeholders are plain text. */
  onReveal?: ((field: string, label: string) => void) | undefined;
  /** Present only for readers who may detokenize card numbers through the vault. */
  onDetokenize?: ((field: string, label: string, token: string) => void) | undefined;
}

function offsetLabel(segment: SegmentView): string | null {
  if (segment.startMs === undefined) return null;
  const seconds = Math.floor(segment.startMs / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Splits one turn's redacted text at its findings and highlights each placeholder by kind. */
function renderText(segment: SegmentView, index: number, props: TranscriptProps): ReactNode[] {
  const parts: ReactNode[] = [];
  const ordered = segment.findings.map((f, i) => ({ f, i })).sort((a, b) => a.f.start - b.f.start);
  let cursor = 0;
  for (const { f, i } of ordered) {
    if (f.start < cursor) continue;
    if (f.start > cursor) parts.push(segment.text.slice(cursor, f.start));
    const field = `segments[${index}].findings[${i}]`;
    const placeholder = segment.text.slice(f.start, f.end);
    const label = entityLabel(f.type);
    const value = props.revealed.get(field);
    const kind = redactionKind(f.type);
    if (value !== undefined) {
      parts.push(
        <mark
          key={field}
          className="redacted"
          data-kind={kind}
          data-revealed="true"
          title={`${label} (revealed)`}
        >
          {value}
        </mark>,
      );
    } else if ((f.revealable && props.onReveal) || (f.token && props.onDetokenize)) {
      const token = f.token;
      const open = () =>
        token && props.onDetokenize
          ? props.onDetokenize(field, label, token)
          : props.onReveal?.(field, label);
      parts.push(
        <Button
          key={field}
          className="redacted react-aria-Button small"
          data-kind={kind}
          aria-label={`Reveal ${label} ${placeholder}`}
          onPress={open}
        >
          {placeholder}
        </Button>,
      );
    } else {
      parts.push(
        <mark key={field} className="redacted" data-kind={kind} title={label}>
          {placeholder}
        </mark>,
      );
    }
    cursor = f.end;
  }
  if (cursor < segment.text.length) parts.push(segment.text.slice(cursor));
  return parts;
}

export function Transcript(props: TranscriptProps) {
  return (
    <ol className="transcript" aria-label="Transcript">
      {props.segments.map((segment, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: turns are addressed by position (segments[i])
        <li key={index} className="turn">
          <div className="turn-speaker">
            {props.speakerName(segment)}
            {offsetLabel(segment) ? <div className="small mono">{offsetLabel(segment)}</div> : null}
            {segment.internal ? <div className="small">internal note</div> : null}
          </div>
          <div className="turn-text">{renderText(segment, index, props)}</div>
        </li>
      ))}
    </ol>
  );
}

export function RedactionLegend() {
  return (
    <div className="legend">
      <span className="visually-hidden">Highlight colours:</span>
      <span className="redacted" data-kind="card">
        Payment and bank data
      </span>
      <span className="redacted" data-kind="person">
        Identity
      </span>
      <span className="redacted" data-kind="contact">
        Contact details
      </span>
      <span className="redacted" data-kind="other">
        Other
      </span>
    </div>
  );
}
