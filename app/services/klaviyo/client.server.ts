/**
 * The one place that talks to Klaviyo, through Klaviyo's official Node client (klaviyo-api), at
 * the base URL from configuration (KLAVIYO_API_URL: Klaviyo's own, or the sandbox's stand-in).
 * The client's own retries are turned off: the event outbox retries with its backoff and parks,
 * and the key check on save answers at once.
 */
import { AccountsApi, ApiKeySession, EventsApi, RetryWithExponentialBackoff } from "klaviyo-api";

import type { KlaviyoCreateEventBody } from "../../domain/events/klaviyo";

export interface KlaviyoApi {
  /** The account the key belongs to; throws KlaviyoError when Klaviyo refuses the key. */
  account(apiKey: string): Promise<{ id: string | null; name: string | null }>;
  createEvent(apiKey: string, body: KlaviyoCreateEventBody): Promise<void>;
}

/** What Klaviyo answered, or that it could not be reached (status null). */
export class KlaviyoError extends Error {
  constructor(
    message: string,
    public readonly status: number | null,
  ) {
    super(message);
    this.name = "KlaviyoError";
  }

  /** Trying again later may work: Klaviyo down, rate limited, or not reached. */
  get transient(): boolean {
    return this.status === null || this.status === 429 || this.status >= 500;
  }
}

interface AxiosLikeError {
  message?: string;
  response?: { status: number; data?: { errors?: { detail?: string; title?: string }[] } };
}

function klaviyoError(error: unknown): KlaviyoError {
  const e = error as AxiosLikeError;
  if (!e?.response) return new KlaviyoError(`Klaviyo could not be reached: ${e?.message ?? String(error)}`, null);
  const first = e.response.data?.errors?.[0];
  const said = first?.detail || first?.title || "no details";
  return new KlaviyoError(`Klaviyo answered ${e.response.status}: ${said}`, e.response.status);
}

/**
 * How long one request to Klaviyo may take. The client sets no timeout of its own, so a Klaviyo
 * that accepted the connection and never answered held the outbox's sender until its lease ran
 * out (minutes); timed out, the delivery is retried with the outbox's backoff like any outage.
 */
export const KLAVIYO_TIMEOUT_MS = 15_000;

/** The client's API-key session with a timeout on every request it makes. */
class TimedApiKeySession extends ApiKeySession {
  constructor(
    apiKey: string,
    private readonly timeoutMs: number,
  ) {
    super(apiKey, new RetryWithExponentialBackoff({ numRetries: 1 }));
  }

  applyToRequest(requestOptions: Parameters<ApiKeySession["applyToRequest"]>[0]) {
    super.applyToRequest(requestOptions);
    requestOptions.timeout = this.timeoutMs;
  }
}

export function klaviyoApi(baseUrl: string, options: { timeoutMs?: number } = {}): KlaviyoApi {
  const base = baseUrl.replace(/\/+$/, "");
  const session = (apiKey: string) => new TimedApiKeySession(apiKey, options.timeoutMs ?? KLAVIYO_TIMEOUT_MS);
  return {
    async account(apiKey) {
      const api = new AccountsApi(session(apiKey));
      api.basePath = base;
      try {
        const { body } = await api.getAccounts({ fieldsAccount: ["contact_information.organization_name"] });
        const first = body.data?.[0];
        return {
          id: first?.id ?? null,
          name: first?.attributes?.contactInformation?.organizationName ?? null,
        };
      } catch (error) {
        throw klaviyoError(error);
      }
    },
    async createEvent(apiKey, body) {
      const api = new EventsApi(session(apiKey));
      api.basePath = base;
      try {
        // The domain builds the client's model by shape (it imports no client types).
        await api.createEvent(body as unknown as Parameters<EventsApi["createEvent"]>[0]);
      } catch (error) {
        throw klaviyoError(error);
      }
    },
  };
}
