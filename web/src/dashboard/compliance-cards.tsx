import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client.ts';
import { total } from '../retention/retention-types.ts';
import { Badge, Card, QueryView } from '../ui/feedback.tsx';
import { formatDate, formatNumber, humanize } from '../ui/format.ts';

/** Items past their retention now (the purge dry run), and how many holds keep. */
export function PastRetentionCard() {
  const plan = useQuery({
    queryKey: ['dashboard', 'retention-plan'],
    queryFn: async () => unwrap(await api.GET('/api/v1/retention/plan', { params: { query: { limit: 0 } } })),
  });
  return (
    <Card title="Past retention" actions={<Link to="/retention">Retention</Link>}>
      <QueryView query={plan}>
        {(report) => {
          const due = total(report, 'due');
          const byCategory = Object.entries(report.categories).filter(([, t]) => t.due > 0);
          return (
            <div className="stack">
              <div className="row-between">
                <div>
                  <div className="stat-value">{formatNumber(due)}</div>
                  <div className="stat-label">items a purge would remove now</div>
                </div>
                {due > 0 ? <Badge tone="warn">purge due</Badge> : <Badge tone="ok">nothing overdue</Badge>}
              </div>
              {byCategory.length > 0 ? (
                <ul className="small">
                  {byCategory.map(([category, tally]) => (
                    <li key={category}>
                      {humanize(category)}: {formatNumber(tally.due)}
                    </li>
                  ))}
                </ul>
              ) : null}
              {report.conflicts.length > 0 ? (
                <Badge tone="danger">{report.conflicts.length} policy conflict(s)</Badge>
              ) : null}
            </div>
          );
        }}
      </QueryView>
    </Card>
  );
}

/** Open data subject requests, soonest due first. */
export function OpenDsarCard() {
  const cases = useQuery({
    queryKey: ['dashboard', 'dsar'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/dsar/cases', { params: { query: { limit: 200 } } })).cases,
  });
  return (
    <Card title="Open data subject requests" actions={<Link to="/dsar">Requests</Link>}>
      <QueryView query={cases}>
        {(rows) => {
          const open = rows
            .filter((c) => c.status === 'open' || c.status === 'awaiting')
            .sort(
              (a, b) =>
                Date.parse(a.effectiveDueAt ?? a.receivedAt) - Date.parse(b.effectiveDueAt ?? b.receivedAt),
            );
          return (
            <div className="stack">
              <div className="row-between">
                <div>
                  <div className="stat-value">{open.length}</div>
                  <div className="stat-label">open requests</div>
                </div>
                {open.some((c) => c.overdue) ? <Badge tone="danger">overdue</Badge> : null}
              </div>
              <ul className="small">
                {open.slice(0, 5).map((c) => (
                  <li key={c.id}>
                    {c.kind} for {c.identifiedBy}: due{' '}
                    {formatDate(Date.parse(c.effectiveDueAt ?? c.receivedAt))}
                    {c.overdue ? ' (overdue)' : c.daysLeft !== null ? ` (${c.daysLeft} days left)` : ''}
                  </li>
                ))}
              </ul>
            </div>
          );
        }}
      </QueryView>
    </Card>
  );
}
