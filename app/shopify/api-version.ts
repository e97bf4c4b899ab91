import { ApiVersion } from "@shopify/shopify-api";

/**
 * The one place the Admin API version is stated. shopify.app.toml repeats it because the CLI
 * reads it there; a test fails when the two disagree, and the sandbox and the tests import it.
 */
export const ADMIN_API_VERSION = ApiVersion.July26;
