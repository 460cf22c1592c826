/**
 * Cloud providers the engine backs up to (R1), and the one that needs HMS Core (R13).
 */
export const PROVIDERS = ['icloud', 'gdrive', 'huawei'] as const;
export type ProviderId = (typeof PROVIDERS)[number];

export const PROVIDER_NAMES: Record<ProviderId, string> = {
  icloud: 'iCloud',
  gdrive: 'Google Drive',
  huawei: 'Huawei Cloud',
};

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === 'string' && (PROVIDERS as readonly string[]).includes(value);
}
