/**
 * A multipart/related body (RFC 2387): the file's JSON metadata, then its bytes, in one request:
 * what Google Drive v3 (`uploadType=multipart`) and HUAWEI Drive Kit take to create a file whole
 * or not at all.
 */
export function multipartRelated(boundary: string, metadata: unknown, bytes: Uint8Array): { body: Uint8Array<ArrayBuffer>; contentType: string } {
  const encoder = new TextEncoder();
  const head = encoder.encode(
    `--${boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n${JSON.stringify(metadata)}\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const body = new Uint8Array(head.byteLength + bytes.byteLength + tail.byteLength);
  body.set(head, 0);
  body.set(bytes, head.byteLength);
  body.set(tail, head.byteLength + bytes.byteLength);
  return { body, contentType: `multipart/related; boundary=${boundary}` };
}
