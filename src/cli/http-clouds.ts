/**
 * The cloud drive a command uses when --cloud names a provider's HTTP endpoint (cloud-target.ts):
 * the provider's own adapter (adapters/cloud/google-drive.ts, huawei-drive.ts, cloudkit.ts) with
 * the credentials of --token-file.
 *
 * --token-file (read bounded, UTF-8, never printed, never in a message):
 *   gdrive, huawei  the OAuth access token on its first line.
 *   icloud          the API token on line 1, the user's web auth token on line 2 (empty: none).
 *                   CloudKit hands out a new web auth token with each answer and may refuse the
 *                   old one, so the latest is written back to the file (atomically, mode 0600)
 *                   when the command ends; the file must therefore be a regular file.
 * A token the provider refuses makes the adapter ask again once: the file is read again (the
 * person may have put a fresh token in it meanwhile); refused again, the command says "not
 * signed in" (exit 9).
 *
 * HMS Core lives on a Huawei phone, not beside this command: WALLET_BACKUP_HMS_RESULT gives the
 * ConnectionResult code the check answers (default 0, SUCCESS), so the HMS branches (exit 6) can
 * be tried against the emulator from a terminal.
 */
import { stat } from 'node:fs/promises';
import { createCloudKitCloud } from '../../adapters/cloud/cloudkit.ts';
import { createGoogleDriveCloud } from '../../adapters/cloud/google-drive.ts';
import { createHuaweiDriveCloud, HMS_CONNECTION_RESULT } from '../../adapters/cloud/huawei-drive.ts';
import type { CloudDrive, CloudDrives } from '../ports/cloud-drive.ts';
import { CliError } from './cli-error.ts';
import type { CloudTarget } from './cloud-target.ts';
import { HMS_RESULT_ENV } from './env-vars.ts';
import { decodeCliText, inputProblem, readCliInput, type CliInput } from './input-file.ts';
import { writeSecretFile } from './secret-file.ts';

/** A token file holds a token or two: 16 KiB is far more than any provider's. */
const TOKEN_FILE_MAX_BYTES = 16 * 1024;
/** What a token line may hold: visible ASCII (tokens are base64url, JWTs or CloudKit's `+/=`). */
const TOKEN = /^[\x21-\x7e]+$/;

export interface HttpClouds {
  clouds: CloudDrives;
  /** Saves what the provider handed out during the command (CloudKit's latest web auth token). */
  finish(): Promise<void>;
}

function tokenInput(path: string): CliInput {
  return { what: 'token file', path, maxBytes: TOKEN_FILE_MAX_BYTES };
}

/** The file's lines (a trailing newline and CRs removed); each non-empty one must look like a token. */
async function readTokenLines(path: string): Promise<string[]> {
  const input = tokenInput(path);
  const text = decodeCliText(input, await readCliInput(input));
  const lines = text.replace(/\r/g, '').replace(/\n$/, '').split('\n');
  lines.forEach((line, index) => {
    if (line !== '' && !TOKEN.test(line)) {
      // The line is a secret: its number is named, never its content.
      throw new CliError('unreadable-file', { what: 'token file', path: JSON.stringify(path), cause: `line ${index + 1} is not a token (visible ASCII characters only)` });
    }
  });
  return lines;
}

function hmsResultFromEnv(env: NodeJS.ProcessEnv): number {
  const text = env[HMS_RESULT_ENV];
  if (text === undefined || text === '') return HMS_CONNECTION_RESULT.SUCCESS;
  if (!/^\d{1,3}$/.test(text)) throw new CliError('bad-flags', { problem: `${HMS_RESULT_ENV} must be an HMS ConnectionResult code (0 SUCCESS, 1 SERVICE_MISSING, 2 SERVICE_VERSION_UPDATE_REQUIRED, …).` });
  return Number(text);
}

/** A token source over the file: read once, read again after the provider refused the token. */
function fileTokens(path: string) {
  let lines: string[] | null = null;
  return {
    async line(index: number): Promise<string | null> {
      lines ??= await readTokenLines(path);
      const value = lines[index];
      return value === undefined || value === '' ? null : value;
    },
    rejected(): void {
      lines = null;
    },
  };
}

export async function openHttpClouds(target: Extract<CloudTarget, { kind: 'http' }>, tokenFile: string | undefined, env: NodeJS.ProcessEnv): Promise<HttpClouds> {
  if (tokenFile === undefined) {
    throw new CliError('bad-flags', { problem: `--cloud ${target.shown} needs --token-file: the file holding the access token (see docs/cli.md).` });
  }
  const tokens = fileTokens(tokenFile);
  let drive: CloudDrive;
  let finish = async (): Promise<void> => undefined;
  switch (target.provider) {
    case 'gdrive':
      drive = createGoogleDriveCloud({ baseUrl: target.origin, getAccessToken: () => tokens.line(0), onTokenRejected: () => tokens.rejected() });
      break;
    case 'huawei': {
      const hmsResult = hmsResultFromEnv(env);
      drive = createHuaweiDriveCloud({
        baseUrl: target.origin,
        getAccessToken: () => tokens.line(0),
        onTokenRejected: () => tokens.rejected(),
        checkHmsCore: async () => hmsResult,
      });
      break;
    }
    case 'icloud': {
      const apiToken = await tokens.line(0);
      if (apiToken === null) throw new CliError('unreadable-file', { what: 'token file', path: JSON.stringify(tokenFile), cause: 'line 1 (the CloudKit API token) is empty' });
      // Read above, so it exists and is readable; a pipe or a device cannot take the new token back.
      const regular = await stat(tokenFile).then((stats) => stats.isFile(), (error: unknown) => Promise.reject(inputProblem(tokenInput(tokenFile), error)));
      if (!regular) {
        throw new CliError('bad-flags', { problem: '--token-file for iCloud must be a regular file: CloudKit hands out a new web auth token with each answer, which the command writes back to it.' });
      }
      const first = await tokens.line(1);
      let latest = first;
      drive = createCloudKitCloud({
        baseUrl: target.origin,
        container: target.container!,
        environment: target.environment!,
        apiToken,
        webAuthToken: first,
        getWebAuthToken: async () => {
          tokens.rejected();
          return tokens.line(1);
        },
        onWebAuthToken: (token) => {
          latest = token;
        },
      });
      finish = async () => {
        if (latest !== null && latest !== first) await writeSecretFile(tokenFile, `${apiToken}\n${latest}\n`, true);
      };
      break;
    }
  }
  return { clouds: { [target.provider]: drive }, finish };
}
