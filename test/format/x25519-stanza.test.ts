/**
 * Our X25519 stanza (pure JS, no WebCrypto) makes and opens the same age files as typage's
 * own X25519 recipient and identity, which use WebCrypto on Node.
 */
import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { X25519StanzaIdentity, X25519StanzaRecipient, x25519IdentityToRecipient } from '../../src/format/x25519-stanza.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('X25519 stanza without WebCrypto', () => {
  it('derives the same age1 recipient from an identity as typage', async () => {
    for (let i = 0; i < 5; i++) {
      const identity = await generateX25519Identity();
      expect(x25519IdentityToRecipient(identity)).toBe(await identityToRecipient(identity));
    }
  });

  it('a file made for our recipient opens with typage, and one made by typage opens with our identity', async () => {
    const identity = await generateX25519Identity();
    const recipient = await identityToRecipient(identity);

    const ours = new Encrypter();
    ours.addRecipient(new X25519StanzaRecipient(recipient));
    const theirs = new Decrypter();
    theirs.addIdentity(identity);
    expect(decode(await theirs.decrypt(await ours.encrypt(encode('made by ours'))))).toBe('made by ours');

    const typage = new Encrypter();
    typage.addRecipient(recipient);
    const opener = new Decrypter();
    opener.addIdentity(new X25519StanzaIdentity(identity));
    expect(decode(await opener.decrypt(await typage.encrypt(encode('made by typage'))))).toBe('made by typage');
  });

  it('finds no file key in a file made for another key', async () => {
    const other = await identityToRecipient(await generateX25519Identity());
    const file = await new X25519StanzaRecipient(other).wrapFileKey(new Uint8Array(16));
    expect(new X25519StanzaIdentity(await generateX25519Identity()).unwrapFileKey(file)).toBeNull();
  });

  it('refuses strings that are not age X25519 keys', async () => {
    const identity = await generateX25519Identity();
    expect(x25519IdentityToRecipient(identity.replace('AGE-SECRET-KEY-1', 'AGE-SECRET-KEY-2'))).toBeNull();
    expect(x25519IdentityToRecipient(`${identity.slice(0, -1)}${identity.endsWith('Q') ? 'P' : 'Q'}`)).toBeNull();
    expect(() => new X25519StanzaRecipient(identity)).toThrow(TypeError);
    const recipient = await identityToRecipient(identity);
    expect(() => new X25519StanzaIdentity(recipient)).toThrow(TypeError);
  });
});
