export {
  createTenancyService,
  DEFAULT_TENANT_SLUG,
  type TenancyService,
  type Tenant,
} from './tenancy.service.ts';
