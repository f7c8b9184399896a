import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface IdpAccount {
  email: string;
  name: string;
  groups: string[];
  /** False once the IdP deactivates the account (Vigil ends its sessions at the next check). */
  active?: boolean;
  /** RFC 8176 methods the IdP reports; `mfa` lets Vigil count the IdP's second factor. */
  amr: string[];
}

/** The client Vigil is registered as at the test IdP. */
export const IDP_CLIENT = { id: 'vigil-console', secret: 'idp-client-secret-0123456789abcdef' };

/**
 * A real OpenID provider (oidc-provider) on a loopback port, for API tests and the browser. Its login
 * screen is scripted: the next interaction signs in the account named by `loginAs`.
 */
export async function startIdp(callbackUrl: string) {
  const accounts = new Map<string, IdpAccount>();
  let nextLogin = '';
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: IDP_CLIENT.id,
        client_secret: IDP_CLIENT.secret,
        redirect_uris: [callbackUrl],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-idp-cookie-key-0123456789'] },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid email profile offline_access');
      await grant.save();
      return grant;
    },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account || account.active === false) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          email: account.email,
          email_verified: true,
          name: account.name,
          groups: account.groups,
        }),
      };
    },
  });
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      const sub = nextLogin;
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: sub, amr: accounts.get(sub)?.amr ?? [] } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    callback(req, res);
  });
  return {
    issuer,
    accounts,
    loginAs(sub: string) {
      nextLogin = sub;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
