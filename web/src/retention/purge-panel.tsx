import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { api, unwrap } from '../api/client.ts';
import { FormDialog } from '../ui/dialogs.tsx';
import { Badge, Card, ErrorBanner, Notice, QueryView } from '../ui/feedback.tsx';
import { formatDateTime, formatNumber, humanize } from '../ui/format.ts';
import { DataTable } from '../ui/table.tsx';
import { type Certificate, type PurgeReport, total } from './retention-types.ts';

function CategoryTally({ report }: { report: PurgeReport }) {
  const rows = Object.entries(report.categories).map(([category, tally]) => ({ category, ...tally }));
  return (
    <DataTable
      label={report.mode === 'plan' ? 'Purge plan by category' : 'Purge result by category'}
      rows={rows}
      rowKey={(r) => r.category}
      columns={[
        { id: 'category', title: 'Category', render: (r) => humanize(r.category), isRowHeader: true },
        { id: 'scanned', title: 'Scanned', render: (r) => formatNumber(r.scanned) },
        { id: 'due', title: 'Past retention', render: (r) => formatNumber(r.due) },
        { id: 'deleted', title: 'Deleted', render: (r) => formatNumber(r.deleted) },
        { id: 'anonymized', title: 'Anonymized', render: (r) => formatNumber(r.anonymized) },
        {
          id: 'kept',
          title: 'Kept (why)',
          render: (r) => (
            <span className="small">
              {Object.entries(r.kept)
                .map(([why, n]) => `${humanize(why)} ×${n}`)
                .join(', ') || '—'}
            </span>
          ),
        },
      ]}
    />
  );
}

function CertificateDialog({ id, onClose }: { id: string | null; onClose: () => void }) {
  const detail = useQuery({
    queryKey: ['retention', 'certificate', id],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/retention/certificates/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: id !== null,
  });
  return (
    <FormDialog
      title="Disposal certificate"
      isOpen={id !== null}
      onOpenChange={(o) => (o ? null : onClose())}
      submitLabel="Close"
      onSubmit={async () => {}}
    >
      <QueryView query={detail}>
        {(c) => (
          <div className="stack">
            {c.verification.valid ? (
              <Notice tone="ok">Valid: hash, Ed25519 signature and audit-log anchor all check.</Notice>
            ) : (
              <Notice tone="error">
                Not valid (hash {String(c.verification.hash)}, signature {String(c.verification.signature)},
                anchored {String(c.verification.anchored)}).
              </Notice>
            )}
            <p className="small mono break">SHA-256 {c.sha256}</p>
            <pre className="secret-box small" data-testid="certificate-document">
              {JSON.stringify(JSON.parse(c.document), null, 2)}
            </pre>
          </div>
        )}
      </QueryView>
    </FormDialog>
  );
}

/** Dry run, purge now, recent runs and their signed disposal certificates. */
export function PurgePanel({ canManage }: { canManage: boolean }) {
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [certificate, setCertificate] = useState<string | null>(null);
  const plan = useQuery({
    queryKey: ['retention', 'plan'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/retention/plan', { params: { query: { limit: 200 } } })),
  });
  const certificates = useQuery({
    queryKey: ['retention', 'certificates'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/retention/certificates', { params: { query: { limit: 50 } } }))
        .certificates,
  });
  const run = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/retention/runs')),
    onSuccess: () => client.invalidateQueries({ queryKey: ['retention'] }),
  });
  return (
    <div className="stack">
      <Card
        title="Purge plan (dry run)"
        actions={
          canManage ? (
            <Button
              className="react-aria-Button danger"
              onPress={() => setConfirming(true)}
              isDisabled={run.isPending}
            >
              Purge now
            </Button>
          ) : null
        }
      >
        <QueryView query={plan}>
          {(report) => (
            <div className="stack">
              <p>
                <strong>{formatNumber(total(report, 'due'))}</strong> item(s) past retention as of{' '}
                {formatDateTime(Date.parse(report.referenceAt))}.
              </p>
              <CategoryTally report={report} />
            </div>
          )}
        </QueryView>
        <ErrorBanner error={run.error} />
        {run.data ? (
          <Notice tone="ok">
            Purged: {formatNumber(total(run.data, 'deleted'))} deleted,{' '}
            {formatNumber(total(run.data, 'anonymized'))} anonymized, {run.data.certificates.length}{' '}
            certificate(s) signed.
          </Notice>
        ) : null}
      </Card>
      <Card title="Disposal certificates">
        <QueryView query={certificates}>
          {(rows) => (
            <DataTable<Certificate>
              label="Disposal certificates"
              rows={rows}
              rowKey={(c) => c.id}
              onOpen={(c) => setCertificate(c.id)}
              empty="No certificate yet: one is signed for every purge batch."
              columns={[
                {
                  id: 'issued',
                  title: 'Issued',
                  render: (c) => formatDateTime(Date.parse(c.issuedAt)),
                  isRowHeader: true,
                },
                { id: 'origin', title: 'For', render: (c) => <Badge>{c.originKind}</Badge> },
                { id: 'items', title: 'Items', render: (c) => formatNumber(c.items) },
                {
                  id: 'hash',
                  title: 'SHA-256',
                  render: (c) => <span className="mono small">{c.sha256.slice(0, 16)}…</span>,
                },
                {
                  id: 'open',
                  title: '',
                  render: (c) => (
                    <Button
                      className="react-aria-Button small"
                      aria-label={`Open certificate ${c.sequence}`}
                      onPress={() => setCertificate(c.id)}
                    >
                      Open
                    </Button>
                  ),
                },
              ]}
            />
          )}
        </QueryView>
      </Card>
      <FormDialog
        title="Purge now?"
        isOpen={confirming}
        onOpenChange={setConfirming}
        submitLabel="Purge"
        tone="danger"
        onSubmit={async () => {
          await run.mutateAsync();
        }}
      >
        <p>
          Everything past its retention and not under a legal hold is deleted or anonymized, for good. Each
          batch gets a signed disposal certificate.
        </p>
      </FormDialog>
      <CertificateDialog id={certificate} onClose={() => setCertificate(null)} />
    </div>
  );
}
