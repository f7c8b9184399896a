import { Link } from 'react-router';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Line,
  LineChart,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { entityLabel } from '../interactions/redaction-kinds.ts';
import { Badge, Card, Notice, QueryView } from '../ui/feedback.tsx';
import { formatDateTime, formatNumber, formatPercent, formatRelative } from '../ui/format.ts';
import { useChartColors } from './chart-colors.ts';
import {
  dayBuckets,
  dayKey,
  dayLabel,
  useAuditActivity,
  useLatestAudit,
  useLatestCheckpoint,
  useRecentInteractions,
  useUsers,
} from './dashboard-data.ts';

type Row = Record<string, number | string>;

/** One row per day of the window, each series starting at zero. */
function emptyDays(series: readonly string[]): Map<string, Row> {
  return new Map(
    dayBuckets().map((day) => [
      dayKey(day),
      { label: dayLabel(day), ...Object.fromEntries(series.map((s) => [s, 0])) },
    ]),
  );
}

function add(rows: Map<string, Row>, epochMs: number, series: string, n = 1) {
  const row = rows.get(dayKey(epochMs));
  if (row) row[series] = Number(row[series] ?? 0) + n;
}

function ChartFigure(props: { summary: string; children: React.ReactElement }) {
  return (
    <figure className="chart-box" aria-label={props.summary}>
      <ResponsiveContainer width="100%" height="100%">
        {props.children}
      </ResponsiveContainer>
      <figcaption className="visually-hidden">{props.summary}</figcaption>
    </figure>
  );
}

export function MfaCoverageCard() {
  const users = useUsers();
  const colors = useChartColors();
  return (
    <Card title="MFA coverage" actions={<Link to="/admin/users">Users</Link>}>
      <QueryView query={users}>
        {(rows) => {
          const active = rows.filter((u) => u.status === 'active');
          const covered = active.filter((u) => u.mfa.totp || u.mfa.passkeys > 0 || u.sso).length;
          const ratio = active.length === 0 ? 0 : covered / active.length;
          const data = [
            { name: 'With a second factor', value: covered },
            { name: 'Password only', value: active.length - covered },
          ];
          return (
            <>
              <div className="row-between">
                <div>
                  <div className="stat-value">{formatPercent(ratio)}</div>
                  <div className="stat-label">
                    {covered} of {active.length} active users
                  </div>
                </div>
                {active.length - covered > 0 ? (
                  <Badge tone="warn">{active.length - covered} without MFA</Badge>
                ) : (
                  <Badge tone="ok">all covered</Badge>
                )}
              </div>
              <ChartFigure summary={`${covered} of ${active.length} active users have a second factor`}>
                <PieChart>
                  <Pie
                    data={data}
                    dataKey="value"
                    nameKey="name"
                    innerRadius="55%"
                    outerRadius="85%"
                    isAnimationActive={false}
                  >
                    <Cell fill={colors.series[1]} />
                    <Cell fill={colors.series[2]} />
                  </Pie>
                  <Tooltip />
                  <Legend />
                </PieChart>
              </ChartFigure>
            </>
          );
        }}
      </QueryView>
    </Card>
  );
}

export function InteractionCharts() {
  const recent = useRecentInteractions();
  const colors = useChartColors();
  return (
    <QueryView query={recent}>
      {({ items, truncated }) => {
        const channels = ['voice', 'chat', 'email', 'sms'];
        const ingested = emptyDays(channels);
        const totals = new Map<string, number>();
        for (const item of items) {
          add(ingested, item.startedAt ?? item.ingestedAt, item.channel);
          for (const [type, n] of Object.entries(item.findingTypes))
            totals.set(type, (totals.get(type) ?? 0) + n);
        }
        const top = [...totals.entries()]
          // Five types and "Other": six series for the six palette colours.
          .sort((a, b) => b[1] - a[1])
          .slice(0, 5)
          .map(([t]) => t);
        const series = [...top, ...(totals.size > top.length ? ['OTHER'] : [])];
        const redactions = emptyDays(series);
        for (const item of items) {
          for (const [type, n] of Object.entries(item.findingTypes)) {
            add(redactions, item.startedAt ?? item.ingestedAt, top.includes(type) ? type : 'OTHER', n);
          }
        }
        const totalRedactions = [...totals.values()].reduce((a, b) => a + b, 0);
        const note = truncated ? (
          <Notice tone="info">Figures cover the latest {formatNumber(items.length)} interactions.</Notice>
        ) : null;
        return (
          <>
            <Card
              title="Interactions ingested (14 days)"
              actions={<Link to="/interactions">Interactions</Link>}
            >
              <div className="stat-value">{formatNumber(items.length)}</div>
              <div className="stat-label">calls, chats, emails and messages</div>
              {note}
              <ChartFigure
                summary={`${items.length} interactions ingested in the last 14 days, by day and channel`}
              >
                <BarChart data={[...ingested.values()]}>
                  <CartesianGrid stroke={colors.grid} vertical={false} />
                  <XAxis dataKey="label" stroke={colors.muted} fontSize={12} />
                  <YAxis allowDecimals={false} stroke={colors.muted} fontSize={12} width={36} />
                  <Tooltip />
                  <Legend />
                  {channels.map((c, i) => (
                    <Bar
                      key={c}
                      dataKey={c}
                      stackId="channel"
                      fill={colors.series[i]}
                      isAnimationActive={false}
                    />
                  ))}
                </BarChart>
              </ChartFigure>
            </Card>
            <Card title="Redactions by type (14 days)">
              <div className="stat-value">{formatNumber(totalRedactions)}</div>
              <div className="stat-label">values redacted before storage</div>
              <ChartFigure summary={`${totalRedactions} redactions in the last 14 days, by day and type`}>
                <BarChart data={[...redactions.values()]}>
                  <CartesianGrid stroke={colors.grid} vertical={false} />
                  <XAxis dataKey="label" stroke={colors.muted} fontSize={12} />
                  <YAxis allowDecimals={false} stroke={colors.muted} fontSize={12} width={36} />
                  <Tooltip />
                  <Legend />
                  {series.map((type, i) => (
                    <Bar
                      key={type}
                      dataKey={type}
                      name={type === 'OTHER' ? 'Other' : entityLabel(type)}
                      stackId="type"
                      fill={colors.series[i % colors.series.length]}
                      isAnimationActive={false}
                    />
                  ))}
                </BarChart>
              </ChartFigure>
            </Card>
          </>
        );
      }}
    </QueryView>
  );
}

export function RevealActivityCard() {
  const reveals = useAuditActivity('interactions.reveal');
  const detokenizations = useAuditActivity('vault.detokenize');
  const colors = useChartColors();
  const query = {
    data:
      reveals.data && detokenizations.data
        ? { reveals: reveals.data, detok: detokenizations.data }
        : undefined,
    error: reveals.error ?? detokenizations.error,
    isPending: reveals.isPending || detokenizations.isPending,
  };
  return (
    <Card title="Reveal and detokenize activity (14 days)" actions={<Link to="/audit">Audit log</Link>}>
      <QueryView query={query}>
        {({ reveals: r, detok }) => {
          const rows = emptyDays(['Reveals', 'Detokenizations']);
          for (const e of r.events) add(rows, Date.parse(e.occurredAt), 'Reveals');
          for (const e of detok.events) add(rows, Date.parse(e.occurredAt), 'Detokenizations');
          const people = new Set([...r.events, ...detok.events].map((e) => e.actor.id)).size;
          return (
            <>
              <div className="stat-value">{formatNumber(r.events.length + detok.events.length)}</div>
              <div className="stat-label">unmasked views by {people} people, each with a recorded reason</div>
              <ChartFigure
                summary={`${r.events.length} reveals and ${detok.events.length} detokenizations in the last 14 days`}
              >
                <LineChart data={[...rows.values()]}>
                  <CartesianGrid stroke={colors.grid} vertical={false} />
                  <XAxis dataKey="label" stroke={colors.muted} fontSize={12} />
                  <YAxis allowDecimals={false} stroke={colors.muted} fontSize={12} width={36} />
                  <Tooltip />
                  <Legend />
                  <Line
                    dataKey="Reveals"
                    stroke={colors.series[2]}
                    strokeWidth={2}
                    dot={false}
                    isAnimationActive={false}
                  />
                  <Line
                    dataKey="Detokenizations"
                    stroke={colors.series[3]}
                    strokeWidth={2}
                    dot={false}
                    isAnimationActive={false}
                  />
                </LineChart>
              </ChartFigure>
            </>
          );
        }}
      </QueryView>
    </Card>
  );
}

export function AuditIntegrityCard() {
  const lastVerify = useLatestAudit('audit.verify');
  const checkpoint = useLatestCheckpoint();
  const query = {
    data:
      lastVerify.data !== undefined && checkpoint.data !== undefined
        ? { verify: lastVerify.data, checkpoint: checkpoint.data }
        : undefined,
    error: lastVerify.error ?? checkpoint.error,
    isPending: lastVerify.isPending || checkpoint.isPending,
  };
  return (
    <Card title="Audit-log integrity" actions={<Link to="/audit">Verify now</Link>}>
      <QueryView query={query}>
        {({ verify, checkpoint: cp }) => {
          const ok = verify?.details?.['ok'];
          return (
            <div className="stack">
              <div className="row">
                {verify === null ? (
                  <Badge tone="warn">never verified</Badge>
                ) : ok === true ? (
                  <Badge tone="ok">verified</Badge>
                ) : (
                  <Badge tone="danger">verification failed</Badge>
                )}
                {verify ? (
                  <span className="small muted">
                    {formatRelative(Date.parse(verify.occurredAt))},{' '}
                    {formatNumber(Number(verify.details?.['eventsChecked'] ?? 0))} events checked
                  </span>
                ) : null}
              </div>
              <p className="small">
                {cp
                  ? `Latest signed checkpoint: tree size ${formatNumber(cp.treeSize)}, ${formatDateTime(Date.parse(cp.createdAt))}.`
                  : 'No signed checkpoint yet.'}
              </p>
            </div>
          );
        }}
      </QueryView>
    </Card>
  );
}
