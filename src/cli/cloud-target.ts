/**
 * What `--cloud` names: a local folder standing in for the three clouds (the default), or one
 * provider's HTTP endpoint, written `<provider>+<http|https>://host[:port][/path]`:
 *
 *   gdrive+https://www.googleapis.com                               Google Drive API v3
 *   huawei+https://driveapis.cloud.huawei.com.cn                    HUAWEI Drive Kit drive/v1
 *   icloud+https://api.apple-cloudkit.com/iCloud.com.example.app/production
 *                                                                   CloudKit Web Services: the
 *                                                                   container and the environment
 *
 * or the same with an emulator's origin (`npm run emulators` prints them). A URL carries no user
 * name, password, query or fragment: credentials come from --token-file only, so nothing secret
 * is ever in a flag, a printed URL or the shell's history.
 */
import { isProviderId, type ProviderId } from '../ports/providers.ts';
import { CliError } from './cli-error.ts';
import { terminalSafe } from '../text/terminal-safe.ts';

export type CloudTarget =
  | { kind: 'folder'; path: string }
  | { kind: 'http'; provider: ProviderId; origin: string; container?: string; environment?: 'development' | 'production'; shown: string };

const URL_FORM = /^([a-z]+)\+(https?:\/\/.*)$/;
const CLOUDKIT_ENVIRONMENTS = ['development', 'production'] as const;

/** The value as a message may show it: a user name, password, query or fragment (credentials, perhaps) replaced by "…". */
function shownValue(value: string): string {
  return value.replace(/(\/\/)[^/?#]*@/, '$1…@').replace(/[?#].*$/, '?…');
}

function badCloud(value: string, why: string): CliError {
  return new CliError('bad-flags', { problem: `--cloud ${terminalSafe(JSON.stringify(shownValue(value)))}: ${why}` });
}

export function parseCloudTarget(value: string): CloudTarget {
  const match = URL_FORM.exec(value);
  if (match === null) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      throw badCloud(value, 'a cloud URL starts with the provider: gdrive+https://…, huawei+https://… or icloud+https://…/<container>/<environment>.');
    }
    return { kind: 'folder', path: value };
  }
  const [, providerName = '', rest = ''] = match;
  if (!isProviderId(providerName)) throw badCloud(value, `no provider ${providerName}; use gdrive, huawei or icloud.`);
  let url: URL;
  try {
    url = new URL(rest);
  } catch (error) {
    if (error instanceof TypeError) throw badCloud(value, 'not a URL.');
    throw error;
  }
  if (url.username !== '' || url.password !== '') throw badCloud(value, 'a URL with a user name or password; credentials go in --token-file.');
  if (url.search !== '' || url.hash !== '') throw badCloud(value, 'a URL with a query or fragment; credentials go in --token-file.');
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const shown = `${providerName}+${url.origin}${url.pathname === '/' ? '' : url.pathname}`;
  if (providerName !== 'icloud') {
    if (segments.length > 0) throw badCloud(value, `the ${providerName} endpoint is an origin only (no path).`);
    return { kind: 'http', provider: providerName, origin: url.origin, shown };
  }
  const [container, environment] = segments.map((s) => decodeURIComponent(s));
  if (segments.length !== 2 || container === undefined || !container.startsWith('iCloud.')) {
    throw badCloud(value, 'CloudKit needs the container and the environment as the path: icloud+https://api.apple-cloudkit.com/iCloud.com.example.app/production.');
  }
  if (!(CLOUDKIT_ENVIRONMENTS as readonly string[]).includes(environment ?? '')) {
    throw badCloud(value, 'the CloudKit environment is development or production.');
  }
  return { kind: 'http', provider: 'icloud', origin: url.origin, container, environment: environment as 'development' | 'production', shown };
}

/** Refuses a --provider the --cloud URL does not serve (a URL is one provider's endpoint). */
export function assertProviderServed(target: CloudTarget, provider: ProviderId): void {
  if (target.kind === 'http' && target.provider !== provider) {
    throw new CliError('bad-flags', {
      problem: `--cloud ${terminalSafe(target.shown)} is a ${target.provider} endpoint, but --provider is ${provider}: give the same provider to both.`,
    });
  }
}
