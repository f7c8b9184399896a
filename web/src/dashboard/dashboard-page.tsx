import { useCan } from '../app/access.ts';
import { useSession } from '../auth/session.tsx';
import { PageHeader } from '../ui/feedback.tsx';
import { OpenDsarCard, PastRetentionCard } from './compliance-cards.tsx';
import {
  AuditIntegrityCard,
  InteractionCharts,
  MfaCoverageCard,
  RevealActivityCard,
} from './dashboard-cards.tsx';

/** Security posture at a glance; each card shows only to people allowed to read its source. */
export function DashboardPage() {
  const { session } = useSession();
  const canUsers = useCan('users.read');
  const canInteractions = useCan('interactions.read');
  const canAudit = useCan('audit.read');
  const canReports = useCan('reports.read');
  const canDsar = useCan('dsar.manage');
  return (
    <>
      <PageHeader title="Security posture" description={`Welcome, ${session?.displayName ?? ''}.`} />
      <div className="grid grid-2">
        {canAudit ? <AuditIntegrityCard /> : null}
        {canUsers ? <MfaCoverageCard /> : null}
        {canInteractions ? <InteractionCharts /> : null}
        {canAudit ? <RevealActivityCard /> : null}
        {canReports ? <PastRetentionCard /> : null}
        {canDsar ? <OpenDsarCard /> : null}
      </div>
      {!canAudit && !canUsers && !canInteractions && !canReports && !canDsar ? (
        <p className="muted">Your role has no dashboard figures. Use the menu to reach your work.</p>
      ) : null}
    </>
  );
}
