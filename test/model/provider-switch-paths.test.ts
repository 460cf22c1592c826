/**
 * Issue 3: every generated path of the provider-switch machine (R13, R15), its eventless
 * `alreadyActive` branch included, runs against the real engine; every state and transition
 * must be covered by those runs.
 */
import { modelSuite } from './harness/path-suite.ts';

modelSuite('providerSwitch');
