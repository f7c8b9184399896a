import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { PageHeader } from '../ui/feedback.tsx';
import { CheckpointsPanel } from './checkpoints-panel.tsx';
import { EventExplorer } from './event-explorer.tsx';

export function AuditPage() {
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every access to customer data and every security change, in a Merkle tree nobody can quietly rewrite."
      />
      <Tabs>
        <TabList aria-label="Audit log views">
          <Tab id="events">Events</Tab>
          <Tab id="checkpoints">Checkpoints and verification</Tab>
        </TabList>
        <TabPanel id="events">
          <EventExplorer />
        </TabPanel>
        <TabPanel id="checkpoints">
          <CheckpointsPanel />
        </TabPanel>
      </Tabs>
    </>
  );
}
