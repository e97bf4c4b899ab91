import { operation } from "../admin.server";

import type {
  CustomerMetafieldsDeleteMutation,
  CustomerMetafieldsDeleteMutationVariables,
  CustomerMetafieldsSetMutation,
  CustomerMetafieldsSetMutationVariables,
  CustomerTagsAddMutation,
  CustomerTagsAddMutationVariables,
  CustomerTagsRemoveMutation,
  CustomerTagsRemoveMutationVariables,
  FlowTriggerReceiveMutation,
  FlowTriggerReceiveMutationVariables,
} from "./types.generated";

/** The event stream's Admin API operations: an event starts the merchant's Flow workflows. */

export const FlowTriggerReceive = operation<FlowTriggerReceiveMutation, FlowTriggerReceiveMutationVariables>(`#graphql
  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors { field message }
    }
  }
`);

/** Flow's "tag customer by tier": the member's tier tag on the customer, the other tiers' tags off. */
export const CustomerTagsAdd = operation<CustomerTagsAddMutation, CustomerTagsAddMutationVariables>(`#graphql
  mutation CustomerTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      userErrors { field message }
    }
  }
`);

export const CustomerTagsRemove = operation<CustomerTagsRemoveMutation, CustomerTagsRemoveMutationVariables>(`#graphql
  mutation CustomerTagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
      userErrors { field message }
    }
  }
`);

/** Customer metafields (app-owned, declared in shopify.app.toml): points balance, tier, lifetime points. */
export const CustomerMetafieldsSet = operation<
  CustomerMetafieldsSetMutation,
  CustomerMetafieldsSetMutationVariables
>(`#graphql
  mutation CustomerMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { id namespace key }
      userErrors { field message code }
    }
  }
`);

/** A member with no tier: the customer's tier metafield is removed (a text metafield cannot be empty). */
export const CustomerMetafieldsDelete = operation<
  CustomerMetafieldsDeleteMutation,
  CustomerMetafieldsDeleteMutationVariables
>(`#graphql
  mutation CustomerMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields { ownerId namespace key }
      userErrors { field message }
    }
  }
`);
