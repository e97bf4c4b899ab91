/** The order action "Return or exchange": opens the returns page for this order. */
import "@shopify/ui-extensions/preact";
import { render } from "preact";

import { numericId } from "../../customer-account-shared/backend";

/** Shopify calls the module's default export to render the target. */
export default async function extension() {
  render(<ReturnAction />, document.body);
}

function ReturnAction() {
  return (
    <s-button href={`extension://aftercare-returns-page/orders/${numericId(shopify.orderId)}`}>
      {shopify.i18n.translate("returnOrExchange")}
    </s-button>
  );
}
