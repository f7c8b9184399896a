/** Secrets a platform uses to sign its webhooks (Twilio's auth token), encrypted under the tenant key. */
export interface IntegrationSecretsTable {
  tenant_id: string;
  platform: string;
  secret: Buffer;
  updated_at: number;
  updated_by: string;
}

export interface IntegrationsTables {
  integration_secrets: IntegrationSecretsTable;
}
