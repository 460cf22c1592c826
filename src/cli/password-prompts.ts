/**
 * Asking for the backup password at the flows' password states, and what happens after a wrong
 * or unacceptable one: a person at a prompt is asked again, showing the guide's hints (R10) or
 * the rule that was broken (R3); a fixed password (env, file) cannot change, so the command ends.
 */
import { HINT_TEXT, type PasswordHint } from '../format/index.ts';
import { CliError } from './cli-error.ts';
import type { PasswordSource } from './password-source.ts';
import type { FlowContextView } from './flow-problems.ts';
import { messageOf } from './exit-codes.ts';

/** How many times a person at the terminal is asked again after a wrong or unacceptable password. */
export const PASSWORD_REPROMPTS = 3;

export interface PasswordPrompter {
  /** The account's existing password; throws 'wrong-password' once asking again is pointless. */
  existing(context: FlowContextView, message: string): Promise<string>;
  /** A new password twice; throws 'password-too-short' / 'password-mismatch' likewise. */
  chosen(context: FlowContextView, message: string): Promise<[string, string]>;
}

export function passwordPrompter(source: PasswordSource, say: (text: string) => void, options: { canStartNewEpoch: boolean }): PasswordPrompter {
  let rejectedNewPasswords = 0;
  return {
    async existing(context, message) {
      const wrong = context.wrongPasswordAttempts ?? 0;
      const hints: PasswordHint[] = context.hints ?? [];
      if (wrong > 0) {
        if (!source.canAskAgain || wrong > PASSWORD_REPROMPTS) {
          const error = new CliError('wrong-password', { hints, canStartNewEpoch: options.canStartNewEpoch, keyringTaken: context.keyringTaken === true });
          throw error.withFacts({ hints, hintText: hintLines(hints) });
        }
        say(messageOf('wrong-password', { hints, canStartNewEpoch: false }));
      }
      return source.existing(message);
    },

    async chosen(context, message) {
      const problem = context.passwordProblem ?? null;
      if (problem !== null) {
        rejectedNewPasswords++;
        const error = problem === 'too-short' ? new CliError('password-too-short') : new CliError('password-mismatch');
        if (!source.canAskAgain || rejectedNewPasswords > PASSWORD_REPROMPTS) throw error;
        say(error.message);
      }
      return source.chosen(message, 'Type the same backup password again:');
    },
  };
}

/** The hints as plain lines, for --json (the codes) and for people (the guide's wording). */
export function hintLines(hints: readonly PasswordHint[]): string[] {
  return hints.map((hint) => HINT_TEXT[hint]);
}
