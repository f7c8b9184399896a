import { Link } from 'react-router';
import { PageHeader } from '../ui/feedback.tsx';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        Nothing lives at this address. <Link to="/">Go to the dashboard</Link>.
      </p>
    </>
  );
}
