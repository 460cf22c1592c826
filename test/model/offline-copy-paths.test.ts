/**
 * Issue 3: the offline-copy machine (R17): its one path runs against the real engine and must
 * cover its one state.
 */
import { modelSuite } from './harness/path-suite.ts';

modelSuite('offlineCopy');
