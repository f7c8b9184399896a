import type { ReactNode } from 'react';
import { ThemeToggle } from '../app/theme-toggle.tsx';

export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-card card stack">
        <div className="brand">
          <img src="/favicon.svg" alt="" />
          <span>Vigil</span>
        </div>
        <h1>{title}</h1>
        {children}
        <div className="row-between">
          <span className="small muted">Security platform for contact centers</span>
          <ThemeToggle />
        </div>
      </div>
    </main>
  );
}
