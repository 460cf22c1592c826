/**
 * Issue 3: every generated path of the restore machine (R8, R10, R11, R14, E1, E2) runs against
 * the real engine; every state and transition must be covered by those runs.
 */
import { modelSuite } from './harness/path-suite.ts';

modelSuite('restore');
