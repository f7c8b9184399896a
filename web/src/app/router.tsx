import type { ReactNode } from 'react';
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { BootstrapPage, InvitationPage, PasswordResetPage } from '../auth/link-pages.tsx';
import { useSession } from '../auth/session.tsx';
import { SignInPage } from '../auth/sign-in-page.tsx';
import { MfaEnrollmentGate, PasswordChangeGate } from '../auth/stage-gates.tsx';
import { NotFoundPage } from './not-found.tsx';
import { Shell } from './shell.tsx';

/** Decides what a visitor sees before any page: sign-in, a forced stage, or the console. */
function SignedIn(): ReactNode {
  const { session } = useSession();
  if (!session) return <SignInPage />;
  if (session.stage === 'mfa_enrollment') return <MfaEnrollmentGate />;
  if (session.stage === 'password_change') return <PasswordChangeGate />;
  return <Shell />;
}

function LoginPage(): ReactNode {
  const { session } = useSession();
  return session ? <Navigate to="/" replace /> : <SignInPage />;
}

/** Feature pages load on first visit, so sign-in does not download the charting library. */
function page(
  path: string | undefined,
  load: () => Promise<{ Component: React.ComponentType }>,
): RouteObject {
  return path === undefined ? { index: true, lazy: load } : { path, lazy: load };
}

const pages: RouteObject[] = [
  page(undefined, () =>
    import('../dashboard/dashboard-page.tsx').then((m) => ({ Component: m.DashboardPage })),
  ),
  page('interactions', () =>
    import('../interactions/interactions-page.tsx').then((m) => ({ Component: m.InteractionsPage })),
  ),
  page('interactions/:id', () =>
    import('../interactions/interaction-page.tsx').then((m) => ({ Component: m.InteractionPage })),
  ),
  page('admin/users', () => import('../admin/users-page.tsx').then((m) => ({ Component: m.UsersPage }))),
  page('admin/roles', () => import('../admin/roles-page.tsx').then((m) => ({ Component: m.RolesPage }))),
  page('admin/teams', () => import('../admin/teams-page.tsx').then((m) => ({ Component: m.TeamsPage }))),
  page('admin/sso', () => import('../admin/sso-page.tsx').then((m) => ({ Component: m.SsoPage }))),
  page('admin/policy', () =>
    import('../admin/identity-policy-page.tsx').then((m) => ({ Component: m.IdentityPolicyPage })),
  ),
  page('admin/zones', () => import('../admin/zones-page.tsx').then((m) => ({ Component: m.ZonesPage }))),
  page('admin/api-keys', () =>
    import('../admin/api-keys-page.tsx').then((m) => ({ Component: m.ApiKeysPage })),
  ),
  page('admin/reviews', () =>
    import('../admin/access-reviews-page.tsx').then((m) => ({ Component: m.AccessReviewsPage })),
  ),
  page('admin/reviews/:id', () =>
    import('../admin/access-reviews-page.tsx').then((m) => ({ Component: m.AccessReviewPage })),
  ),
  page('admin/elevations', () =>
    import('../admin/elevations-page.tsx').then((m) => ({ Component: m.ElevationsPage })),
  ),
  page('audit', () => import('../audit/audit-page.tsx').then((m) => ({ Component: m.AuditPage }))),
  page('retention', () =>
    import('../retention/retention-page.tsx').then((m) => ({ Component: m.RetentionPage })),
  ),
  page('dsar', () => import('../dsar/dsar-page.tsx').then((m) => ({ Component: m.DsarPage }))),
  page('account', () => import('../auth/account-page.tsx').then((m) => ({ Component: m.AccountPage }))),
];

export const router = createBrowserRouter([
  { path: '/enroll', element: <BootstrapPage /> },
  { path: '/invite', element: <InvitationPage /> },
  { path: '/reset-password', element: <PasswordResetPage /> },
  // Where the SSO callback sends the browser: the sign-in page (with #error=...) or MFA enrollment.
  { path: '/login', element: <LoginPage /> },
  { path: '/enroll-mfa', element: <Navigate to="/" replace /> },
  {
    path: '/',
    element: <SignedIn />,
    children: [...pages, { path: '*', element: <NotFoundPage /> }],
  },
]);
