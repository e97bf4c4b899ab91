import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { LoginErrorType } from "@shopify/shopify-app-remix/server";

import { login } from "../../shopify.server";
import { readBodyLimited } from "../../utils/body.server";

const LOGIN_BODY_LIMIT = 8_000;

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

function errorMessage(errors: { shop?: LoginErrorType } | undefined) {
  if (errors?.shop === LoginErrorType.MissingShop) return "Enter your shop's domain to log in.";
  if (errors?.shop === LoginErrorType.InvalidShop) return "Enter a domain such as my-shop.myshopify.com.";
  return undefined;
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const errors = await login(request);
  return json({ error: errorMessage(errors as { shop?: LoginErrorType }) });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  // The form is one field; read with a ceiling (docs/decisions/0048) and handed on as it came.
  const body = await readBodyLimited(request, LOGIN_BODY_LIMIT);
  if (body === null) return json({ error: "The form is too large." }, { status: 413 });
  const errors = await login(
    new Request(request.url, {
      method: request.method,
      headers: request.headers,
      body: body as Uint8Array<ArrayBuffer>,
    }),
  );
  return json({ error: errorMessage(errors as { shop?: LoginErrorType }) });
};

export default function Auth() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [shop, setShop] = useState("");
  const error = actionData?.error ?? loaderData.error;
  return (
    <PolarisAppProvider i18n={polarisTranslations}>
      <Page narrowWidth>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h2">
                Log in to Aftercare
              </Text>
              <TextField
                type="text"
                name="shop"
                label="Shop domain"
                helpText="example.myshopify.com"
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={error}
              />
              <Button submit>Log in</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </PolarisAppProvider>
  );
}
