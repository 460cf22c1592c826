/**
 * The flags the commands share (--db, --cloud, --json, --provider, --account, --password-file)
 * and the parsers of numeric flags. A bad value is a commander InvalidArgumentError, which
 * main turns into exit code 2 like every other parse error.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { PROVIDERS, type ProviderId } from '../ports/providers.ts';
import { isAccountId } from '../format/identifiers.ts';
import { isTerminalSafe } from '../text/terminal-safe.ts';

export const DEFAULT_DB = './wallet-backup.db';
export const DEFAULT_CLOUD = './wallet-cloud';

export interface JsonOption {
  json: boolean;
}
export interface DbOption {
  db: string;
}
export interface CloudOption {
  cloud: string;
  /** With --cloud <provider>+https://…: the file holding the access token(s) (http-clouds.ts). */
  tokenFile?: string;
}
export interface AccountOptions {
  provider: ProviderId;
  account: string;
}

export function addJson(command: Command): Command {
  return command.option('--json', 'print one JSON object instead of text', false);
}

export function addDb(command: Command): Command {
  return command.option('--db <file>', 'the SQLite event log of this device', DEFAULT_DB);
}

export function addCloud(command: Command): Command {
  return command
    .option(
      '--cloud <dir|url>',
      'the local folder standing in for the clouds, or one provider over HTTP: gdrive+https://host, huawei+https://host, icloud+https://host/<container>/<environment>',
      DEFAULT_CLOUD,
    )
    .option('--token-file <file>', 'with a --cloud URL: the file holding the access token (iCloud: the API token, then the web auth token)');
}

/** --cloud for sim: a local folder only. */
export function addCloudFolder(command: Command): Command {
  return command.option('--cloud <dir>', 'the local folder standing in for the clouds', DEFAULT_CLOUD);
}

export function providerOption(): Option {
  return new Option('--provider <provider>', 'cloud provider').choices(PROVIDERS).makeOptionMandatory();
}

export function addAccount(command: Command): Command {
  return command
    .addOption(providerOption())
    .requiredOption('--account <id>', 'the cloud account you expect to be signed in (Apple ID, Google or Huawei account)', parseAccount);
}

export function addPasswordFile(command: Command): Command {
  return command.option(
    '--password-file <file>',
    'read the backup password from this file ("-" reads stdin; one trailing newline removed, nothing else); else $WALLET_BACKUP_PASSWORD, else a prompt',
  );
}

/**
 * An account id (--account, sim --sign-in): it is printed, logged and, for sim, stored in
 * device.json, so besides the format's rule (src/format/identifiers.ts) it holds nothing that
 * src/text/terminal-safe.ts would show escaped: no line break, control, bidi or other invisible
 * format character.
 */
export function parseAccount(value: string): string {
  if (!isAccountId(value) || !isTerminalSafe(value)) {
    throw new InvalidArgumentError('an account id must be 1 to 320 characters, without line breaks, control characters, bidi or other invisible format characters.');
  }
  return value;
}

/** A whole number, 0 or more, written in decimal digits only ("1e3" and "0x10" are refused). */
export function parseCount(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number)) throw new InvalidArgumentError('expected a whole number, 0 or more.');
  return number;
}

/** A wallet name for the manifest and tables: printable (nothing terminal-safe.ts would escape), at most 100 characters. */
export function parseWalletName(value: string): string {
  if (value.trim() === '' || [...value].length > 100 || !isTerminalSafe(value)) {
    throw new InvalidArgumentError('a wallet name must be 1 to 100 printable characters.');
  }
  return value;
}
