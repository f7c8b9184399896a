export { integrationsHttpModule } from './integrations.routes.ts';
export {
  createIntegrationsService,
  type IntegrationsService,
  SIGNING_PLATFORMS,
  type SigningPlatform,
} from './integrations.service.ts';
export type { IntegrationsTables } from './integrations.tables.ts';
