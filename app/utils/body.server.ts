/**
 * Request bodies read with a ceiling. `request.text()` and `formData()` buffer whatever a client
 * sends; a body sent without a Content-Length (chunked) is only measured once it is all in memory,
 * so one client streaming gigabytes could take the process's memory from everyone else. Here a
 * declared length over the limit is refused before anything is read, and a streamed body is no
 * longer read once it passes the limit.
 *
 * The rest of a refused body is left unread, not cancelled: cancelling destroys the socket, and the
 * client would get a reset instead of the 413 saying why. Remix's adapter pauses the request once
 * its small buffer is full, and server.js closes the connection after any 413 (docs/decisions/0048).
 */

/** The body's bytes, or null when it is larger than `maxBytes` (the caller answers 413). */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) return null;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.releaseLock();
      return null;
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}

/** The body as UTF-8 text, or null when it is larger than `maxBytes`. */
export async function readTextLimited(request: Request, maxBytes: number): Promise<string | null> {
  const bytes = await readBodyLimited(request, maxBytes);
  return bytes === null ? null : new TextDecoder().decode(bytes);
}

/**
 * The body as a form (urlencoded or multipart, by the request's Content-Type), or null when it is
 * larger than `maxBytes`; a body that is not a readable form throws, as `formData()` does.
 */
export async function readFormLimited(request: Request, maxBytes: number): Promise<FormData | null> {
  const bytes = await readBodyLimited(request, maxBytes);
  if (bytes === null) return null;
  const type = request.headers.get("content-type") ?? "";
  return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": type } }).formData();
}
