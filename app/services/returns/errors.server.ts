/** A refusal the caller can act on: becomes a 4xx with this message, never a 500. */
export class ReturnsError extends Error {
  constructor(
    public readonly status: 400 | 403 | 404 | 409 | 422 | 429 | 502,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = "ReturnsError";
  }
}
