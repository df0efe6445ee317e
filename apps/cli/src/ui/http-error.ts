/** An error the API answers with its status and `{ error: message }`. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
