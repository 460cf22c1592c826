/** What the crash-safety test's child backs up, and with which password (test only). */
export const CRASH_PASSWORD = 'crash test password';
export const CRASH_ACCOUNT = 'alice@example.com';
export const CRASH_WALLETS = [
  'legal winner thank year wave sausage worth useful legal winner thank yellow',
  'letter advice cage absurd amount doctor acoustic avoid letter advice cage above',
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong',
];
