import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { useCan } from '../app/access.ts';
import { PageHeader } from '../ui/feedback.tsx';
import { HoldsPanel } from './holds-panel.tsx';
import { PoliciesPanel } from './policies-panel.tsx';
import { PurgePanel } from './purge-panel.tsx';

export function RetentionPage() {
  const canManage = useCan('retention.manage');
  return (
    <>
      <PageHeader
        title="Retention"
        description="What is kept, for how long and why; what a purge would remove; the signed proof that it did."
      />
      <Tabs>
        <TabList aria-label="Retention views">
          <Tab id="purge">Purge and certificates</Tab>
          <Tab id="holds">Legal holds</Tab>
          <Tab id="policies">Policies</Tab>
        </TabList>
        <TabPanel id="purge">
          <PurgePanel canManage={canManage} />
        </TabPanel>
        <TabPanel id="holds">
          <HoldsPanel canManage={canManage} />
        </TabPanel>
        <TabPanel id="policies">
          <PoliciesPanel canManage={canManage} />
        </TabPanel>
      </Tabs>
    </>
  );
}
