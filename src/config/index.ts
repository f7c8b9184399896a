export { ConfigError, type ConfigProblem, type LoadConfigOptions, loadConfig } from './config.load.ts';
export { SETTINGS, type SettingDefinition } from './config.settings.ts';
export type { VigilConfig } from './config.types.ts';
