import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import { useCan, useMyAccess } from '../app/access.ts';
import { Badge, Card, PageHeader, QueryView } from '../ui/feedback.tsx';
import { formatDateTime, formatDuration } from '../ui/format.ts';
import { entityLabel } from './redaction-kinds.ts';
import { RevealDialog, type RevealTarget } from './reveal-dialog.tsx';
import { RedactionLegend, type SegmentView, Transcript } from './transcript.tsx';

async function fetchInteraction(id: string) {
  return unwrap(await api.GET('/api/v1/interactions/{id}', { params: { path: { id } } }));
}

type Interaction = Awaited<ReturnType<typeof fetchInteraction>>;
type Participant = Interaction['participants'][number];

const PARTICIPANT_FIELDS = ['name', 'handle', 'phone', 'email', 'address'] as const;

function ParticipantCard(props: {
  participant: Participant;
  index: number;
  revealed: ReadonlyMap<string, string>;
  onReveal?: ((field: string, label: string) => void) | undefined;
}) {
  const { participant, index } = props;
  const visibility = useMyAccess().data?.fields;
  const isCustomer = participant.role === 'customer' || participant.role === 'unknown';
  // A field the reader's role already sees unmasked needs no reveal.
  const masked = (field: string) =>
    visibility?.[`customer.${field}` as keyof typeof visibility] !== 'unmasked';
  return (
    <div className="card">
      <h3>
        {participant.role} <span className="muted small mono">{participant.ref}</span>
      </h3>
      <dl className="kv">
        {PARTICIPANT_FIELDS.map((field) => {
          const value = participant[field];
          if (value === undefined) return null;
          const path = `participants[${index}].${field}`;
          const shown = props.revealed.get(path);
          return [
            <dt key={`${field}-k`}>{field}</dt>,
            <dd key={`${field}-v`} className="row">
              <span className={shown ? 'redacted' : undefined} data-revealed={shown ? 'true' : undefined}>
                {shown ?? value}
              </span>
              {isCustomer && !shown && masked(field) && props.onReveal ? (
                <Button
                  className="react-aria-Button small quiet"
                  aria-label={`Reveal ${participant.role} ${field}`}
                  onPress={() => props.onReveal?.(path, `${participant.role} ${field}`)}
                >
                  Reveal
                </Button>
              ) : null}
            </dd>,
          ];
        })}
      </dl>
    </div>
  );
}

function Recording({ id, interaction }: { id: string; interaction: Interaction }) {
  const audio = useMyAccess().data?.fields['recording.audio'];
  if (!interaction.hasRecording) return null;
  if (audio === 'omitted') {
    return (
      <Card title="Recording">
        <p className="muted small">
          This interaction has a recording; your role does not include listening to recordings.
        </p>
      </Card>
    );
  }
  const duration = interaction.media.find((m) => m.kind === 'audio' || m.kind === 'recording')?.durationMs;
  return (
    <Card title="Recording (redacted audio)">
      <p className="muted small">
        Spoken card numbers and codes are replaced by a tone. Playing the recording is recorded in the audit
        log.
        {duration ? ` Length ${formatDuration(duration)}.` : ''}
      </p>
      {/* biome-ignore lint/a11y/useMediaCaption: the transcript above is the text equivalent of the call */}
      <audio
        controls
        preload="none"
        src={`/api/v1/interactions/${id}/recording`}
        aria-label="Redacted call recording"
      />
    </Card>
  );
}

function InteractionDetail({ id, interaction }: { id: string; interaction: Interaction }) {
  const canReveal = useCan('interactions.reveal');
  const canDetokenize = useCan('vault.detokenize');
  const [revealed, setRevealed] = useState<Map<string, string>>(() => new Map());
  const [target, setTarget] = useState<RevealTarget | null>(null);
  const onReveal = canReveal ? (field: string, label: string) => setTarget({ field, label }) : undefined;
  const onDetokenize = canDetokenize
    ? (field: string, label: string, token: string) => setTarget({ field, label, token })
    : undefined;
  const names = new Map(interaction.participants.map((p) => [p.ref, p.name ?? p.handle ?? p.role]));
  const speakerName = (s: SegmentView) =>
    s.participantRef ? (names.get(s.participantRef) ?? s.role) : s.role;
  const counts = Object.entries(interaction.findingCounts);
  return (
    <div className="stack">
      <Card>
        <dl className="kv">
          <dt>Channel</dt>
          <dd>
            <Badge tone="info">{interaction.channel}</Badge> {interaction.direction}
          </dd>
          <dt>Started</dt>
          <dd>{formatDateTime(interaction.startedAt)}</dd>
          <dt>Ended</dt>
          <dd>{formatDateTime(interaction.endedAt)}</dd>
          <dt>Queue</dt>
          <dd>{interaction.queue ?? '—'}</dd>
          <dt>Source</dt>
          <dd className="mono small">
            {interaction.source.platform} {interaction.source.id} (revision {interaction.source.revision})
          </dd>
          {interaction.subject ? (
            <>
              <dt>Subject</dt>
              <dd>{interaction.subject}</dd>
            </>
          ) : null}
          <dt>Redactions</dt>
          <dd>
            {counts.length === 0
              ? 'none'
              : counts.map(([type, n]) => (
                  <Badge key={type}>
                    {entityLabel(type)} ×{n}
                  </Badge>
                ))}
          </dd>
        </dl>
        {interaction.anonymized ? <p className="banner warn">This interaction was anonymized.</p> : null}
      </Card>
      <div className="participants">
        {interaction.participants.map((p, index) => (
          <ParticipantCard
            key={p.ref}
            participant={p}
            index={index}
            revealed={revealed}
            onReveal={onReveal}
          />
        ))}
      </div>
      <Recording id={id} interaction={interaction} />
      <Card title="Transcript" actions={<RedactionLegend />}>
        {!canReveal && !canDetokenize ? (
          <p className="muted small">
            You see the redacted view. Revealing data needs a role that allows it.
          </p>
        ) : (
          <p className="muted small">Select a highlighted value to reveal it with a reason.</p>
        )}
        <Transcript
          segments={interaction.segments}
          speakerName={speakerName}
          revealed={revealed}
          onReveal={onReveal}
          onDetokenize={onDetokenize}
        />
      </Card>
      <RevealDialog
        interactionId={id}
        target={target}
        onClose={() => setTarget(null)}
        onRevealed={(field, value) => setRevealed((m) => new Map(m).set(field, value))}
      />
    </div>
  );
}

export function InteractionPage() {
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: ['interactions', 'one', id],
    queryFn: () => fetchInteraction(id),
    gcTime: 0,
  });
  return (
    <>
      <PageHeader title="Interaction" description={<Link to="/interactions">Back to the list</Link>} />
      <QueryView query={query}>
        {(interaction) => <InteractionDetail id={id} interaction={interaction} />}
      </QueryView>
    </>
  );
}
