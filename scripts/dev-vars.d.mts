// Types for scripts/dev-vars.mjs (plain JavaScript, so `npm start` runs it with no build step).
export interface WranglerSettings {
  vars: Record<string, unknown>;
  required: string[];
}
export function parseDotenv(text: string): Record<string, string>;
export function readDotenv(path: string): Record<string, string>;
export function wranglerConfig(configPath?: string): WranglerSettings;
export function devVarArgs(settings: Record<string, string>, port: number, config?: WranglerSettings): string[];
export function localPort(env?: Record<string, string | undefined>): number;
export function localBaseUrl(port: number): string;
export function localWorkerUrl(settings?: Record<string, string>, env?: Record<string, string | undefined>): string;
