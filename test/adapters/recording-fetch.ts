/**
 * Test helper: a fetch (WHATWG Fetch, https://fetch.spec.whatwg.org/) that records the full URL of
 * every request an adapter makes before passing it on, so the contract can scan them for secrets.
 */
export interface RecordingFetch {
  fetch: typeof fetch;
  readonly urls: string[];
}

export function recordingFetch(inner: typeof fetch = fetch): RecordingFetch {
  const urls: string[] = [];
  return {
    urls,
    fetch: (input, init) => {
      urls.push(input instanceof Request ? input.url : String(input));
      return inner(input, init);
    },
  };
}
