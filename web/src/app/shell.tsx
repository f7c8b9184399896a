import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session.tsx';
import { StepUpDialog } from '../auth/step-up-dialog.tsx';
import { usePermissions } from './access.ts';
import { visibleNavigation } from './navigation.ts';
import { ThemeToggle } from './theme-toggle.tsx';

/** The signed-in frame: navigation filtered by what the person may do, top bar, and the page. */
export function Shell() {
  const { session, signOut } = useSession();
  const permissions = usePermissions();
  const location = useLocation();
  const [navOpen, setNavOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: closing the drawer is the reaction to navigation
  useEffect(() => setNavOpen(false), [location.pathname]);
  return (
    <div className="shell" data-nav-open={navOpen}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <img src="/favicon.svg" alt="" />
          <span>Vigil</span>
        </div>
        {visibleNavigation(permissions).map((group) => (
          <div key={group.title} className="nav-group">
            <h2 className="nav-group-title">{group.title}</h2>
            {group.items.map((item) => (
              <NavLink key={item.to} to={item.to} end={item.to === '/'} className="nav-link">
                {item.label}
              </NavLink>
            ))}
          </div>
        ))}
      </nav>
      <div className="main">
        <header className="topbar">
          <Button
            className="react-aria-Button quiet menu-toggle"
            aria-label="Open navigation"
            aria-expanded={navOpen}
            onPress={() => setNavOpen(!navOpen)}
          >
            ☰
          </Button>
          <span className="small muted">{session?.roles.join(', ')}</span>
          <div className="topbar-actions">
            <ThemeToggle />
            <span className="small">
              <span className="visually-hidden">Signed in as </span>
              {session?.displayName}
            </span>
            <Button className="react-aria-Button small" onPress={() => void signOut()}>
              Sign out
            </Button>
          </div>
        </header>
        <main id="main" className="content" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
      <StepUpDialog />
    </div>
  );
}
