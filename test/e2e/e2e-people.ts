import type { Principal } from '../../src/shared/principal.ts';
import { Authenticator } from './console-actions.ts';
import type { E2eServer } from './e2e-harness.ts';

export interface Person {
  email: string;
  name: string;
  password: string;
  roles: string[];
  principal: Principal;
  /** Present when the person enrolled an authenticator app. */
  app: Authenticator | undefined;
}

function tokenOf(link: string): string {
  return new URL(link).hash.replace(/^#token=/, '');
}

async function enrolTotp(server: E2eServer, principal: Principal): Promise<Authenticator> {
  const { mfa } = server.vigil.identity;
  const { secret } = await mfa.beginTotp(principal);
  const app = new Authenticator(secret, server.clock);
  await mfa.confirmTotp(principal, await app.code());
  return app;
}

/**
 * The first administrator, made through the same services the bootstrap link and the
 * enrollment pages call (the auth e2e test drives those pages themselves).
 */
export async function seedAdmin(server: E2eServer, email = 'admin@example.test'): Promise<Person> {
  const { identity, tenancy } = server.vigil;
  const tenant = await tenancy.getBySlug('default');
  const bootstrap = await identity.enrollment.ensureBootstrapLink(tenant.id);
  if (!bootstrap) throw new Error('the tenant already has users');
  const password = 'plenty of entropy in this phrase';
  const name = 'Sam Security';
  await identity.enrollment.completeBootstrap({
    token: tokenOf(bootstrap.link),
    email,
    displayName: name,
    password,
  });
  const user = (await identity.users.list(tenant.id)).find((u) => u.email === email);
  if (!user) throw new Error('bootstrap did not create the administrator');
  const principal: Principal = {
    tenantId: tenant.id,
    kind: 'user',
    id: user.id,
    displayName: name,
    roles: user.roles,
  };
  return { email, name, password, roles: user.roles, principal, app: await enrolTotp(server, principal) };
}

/** An invited person who accepted the invitation; roles that demand MFA get an authenticator app. */
export async function seedPerson(
  server: E2eServer,
  admin: Person,
  input: { email: string; name: string; roles: string[]; totp: boolean },
): Promise<Person> {
  const { identity } = server.vigil;
  const { user, link } = await identity.users.invite(admin.principal, {
    email: input.email,
    displayName: input.name,
    roles: input.roles,
  });
  const password = `a long passphrase for ${input.email.length} test people`;
  await identity.enrollment.acceptInvite({ token: tokenOf(link), password });
  const principal: Principal = {
    tenantId: admin.principal.tenantId,
    kind: 'user',
    id: user.id,
    displayName: input.name,
    roles: input.roles,
  };
  const app = input.totp ? await enrolTotp(server, principal) : undefined;
  return { email: input.email, name: input.name, password, roles: input.roles, principal, app };
}
