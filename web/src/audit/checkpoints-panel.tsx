import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import { Badge, Card, ErrorBanner, Notice, QueryView } from '../ui/feedback.tsx';
import { formatDateTime, formatNumber } from '../ui/format.ts';
import { DataTable } from '../ui/table.tsx';

type VerifyReport = Awaited<ReturnType<typeof verifyNow>>;

async function verifyNow() {
  return unwrap(await api.POST('/api/v1/audit/verify', { body: {} }));
}

function VerifyResult({ report }: { report: VerifyReport }) {
  if (report.ok) {
    return (
      <Notice tone="ok">
        Audit log verified: {formatNumber(report.eventsChecked)} events and{' '}
        {formatNumber(report.checkpointsChecked)} checkpoints recomputed, tree head at size{' '}
        {formatNumber(report.treeHeadSize)}. Nothing was changed.
      </Notice>
    );
  }
  return (
    <div className="stack">
      <Notice tone="error">
        Verification failed: {report.problems.length}
        {report.problemsTruncated ? '+' : ''} problem(s)
        {report.firstBadEvent ? `, first bad event #${report.firstBadEvent.seq ?? '?'}` : ''}.
      </Notice>
      <ul>
        {report.problems.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id and never reorder
          <li key={i}>
            <span className="mono">{p.kind}</span> {p.seq !== undefined ? `(event #${p.seq})` : ''}:{' '}
            {p.detail}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Signed checkpoints, "checkpoint now" and "verify now" with the full report. */
export function CheckpointsPanel() {
  const client = useQueryClient();
  const checkpoints = useQuery({
    queryKey: ['audit', 'checkpoints'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/audit/checkpoints', { params: { query: { limit: 50 } } })),
  });
  const verify = useMutation({ mutationFn: verifyNow });
  const sign = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/audit/checkpoints')),
    onSuccess: () => client.invalidateQueries({ queryKey: ['audit'] }),
  });
  return (
    <div className="stack">
      <Card
        title="Integrity"
        actions={
          <div className="row">
            <Button
              className="react-aria-Button primary"
              onPress={() => verify.mutate()}
              isDisabled={verify.isPending}
            >
              {verify.isPending ? 'Verifying…' : 'Verify now'}
            </Button>
            <Button onPress={() => sign.mutate()} isDisabled={sign.isPending}>
              Sign a checkpoint now
            </Button>
          </div>
        }
      >
        <p className="muted small">
          Verification recomputes every event hash and the Merkle tree, and checks each signed checkpoint
          against it.
        </p>
        <ErrorBanner error={verify.error ?? sign.error} />
        {verify.data ? <VerifyResult report={verify.data} /> : null}
        {sign.data ? (
          <Notice tone="ok">
            {sign.data.created
              ? 'Signed a new checkpoint'
              : 'The latest checkpoint already covers every event'}{' '}
            (size {sign.data.checkpoint.treeSize}).
          </Notice>
        ) : null}
      </Card>
      <QueryView query={checkpoints}>
        {(data) => (
          <>
            <DataTable
              label="Signed checkpoints"
              rows={data.checkpoints}
              rowKey={(c) => c.id}
              empty="No checkpoint signed yet."
              columns={[
                {
                  id: 'size',
                  title: 'Tree size',
                  render: (c) => formatNumber(c.treeSize),
                  isRowHeader: true,
                },
                { id: 'time', title: 'Signed', render: (c) => formatDateTime(Date.parse(c.createdAt)) },
                { id: 'trigger', title: 'Trigger', render: (c) => <Badge>{c.trigger}</Badge> },
                {
                  id: 'root',
                  title: 'Root hash',
                  render: (c) => <span className="mono small">{c.rootHash.slice(0, 24)}…</span>,
                },
                { id: 'key', title: 'Key', render: (c) => <span className="mono small">{c.keyId}</span> },
              ]}
            />
            <details>
              <summary>Verifier keys (give these to an auditor)</summary>
              <ul className="mono small">
                {data.verifierKeys.map((key) => (
                  <li key={key}>{key}</li>
                ))}
              </ul>
            </details>
          </>
        )}
      </QueryView>
    </div>
  );
}
