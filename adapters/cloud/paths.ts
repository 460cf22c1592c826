/**
 * Path rules shared by every cloud adapter.
 *
 * A drive path is relative to the signed-in account's app folder, '/'-separated, with no empty,
 * '.' or '..' segment. Both adapters check paths here, so they refuse exactly the same inputs and
 * the local-folder adapter can never be made to touch a file outside its account folder.
 * A bad path is a programming error, not a cloud condition, so it throws a plain Error rather
 * than a CloudError: the engine must not turn it into a "retry" prompt.
 * Browser-safe: no node imports.
 */

/**
 * Names the local-folder adapter gives its in-progress (not yet renamed) writes. They are refused
 * as user paths by every adapter, so a caller can never read, overwrite or list a half-written file,
 * and both adapters keep accepting the same set of paths.
 */
export const TEMP_NAME_PREFIX = '.wbe-partial-';

export function isTempName(segment: string): boolean {
  return segment.startsWith(TEMP_NAME_PREFIX);
}

/** Returns the path unchanged when it is a valid drive file path; throws a plain Error naming the problem otherwise. */
export function checkDrivePath(path: string): string {
  if (typeof path !== 'string') throw new Error(`Invalid cloud path: expected a string, got ${typeof path}`);
  if (path === '') throw new Error('Invalid cloud path "": a file path must not be empty');
  return checkSegments(path, path.split('/'));
}

/** True when checkDrivePath would accept the path (used to skip foreign names found on disk). */
export function isDrivePath(path: string): boolean {
  return typeof path === 'string' && path !== '' && segmentsProblem(path, path.split('/')) === null;
}

/**
 * Returns the folder prefix for list(), without a trailing '/'. '' (or '/'-free empty) means the
 * whole account folder; one trailing '/' is accepted ("wallet-backup/" is "wallet-backup").
 */
export function checkDrivePrefix(prefix: string): string {
  if (typeof prefix !== 'string') throw new Error(`Invalid cloud folder prefix: expected a string, got ${typeof prefix}`);
  const folder = prefix.endsWith('/') && prefix.length > 1 ? prefix.slice(0, -1) : prefix;
  if (folder === '') return '';
  checkSegments(prefix, folder.split('/'));
  return folder;
}

/** True when the file path lies inside the folder prefix (as returned by checkDrivePrefix). */
export function isUnderFolder(path: string, folder: string): boolean {
  return folder === '' || path.startsWith(`${folder}/`);
}

/** The folders that contain a path, outermost first: "a/b/c" → ["a", "a/b"]. */
export function enclosingFolders(path: string): string[] {
  const segments = path.split('/');
  return segments.slice(1).map((_, index) => segments.slice(0, index + 1).join('/'));
}

function checkSegments(original: string, segments: string[]): string {
  const problem = segmentsProblem(original, segments);
  if (problem !== null) throw new Error(`Invalid cloud path ${JSON.stringify(original)}: ${problem}`);
  return original;
}

/** What is wrong with a path's segments, or null. */
function segmentsProblem(original: string, segments: string[]): string | null {
  if (original.startsWith('/')) return 'absolute paths are not allowed (paths are relative to the app folder)';
  // A backslash is a separator on Windows: refusing it keeps "a\\..\\b" from meaning "b" there.
  if (original.includes('\\')) return "use '/' as the separator, not '\\'";
  if (original.includes('\0')) return 'NUL characters are not allowed';
  for (const segment of segments) {
    if (segment === '') return "empty segment (a leading, trailing or doubled '/')";
    if (segment === '..') return "'..' segments are not allowed";
    if (segment === '.') return "'.' segments are not allowed";
    if (isTempName(segment)) return `names starting with "${TEMP_NAME_PREFIX}" are reserved for in-progress writes`;
  }
  return null;
}
