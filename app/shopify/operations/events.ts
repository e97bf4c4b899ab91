import { operation } from "../admin.server";

import type { FlowTriggerReceiveMutation, FlowTriggerReceiveMutationVariables } from "./types.generated";

/** The event stream's Admin API operations: an event starts the merchant's Flow workflows. */

export const FlowTriggerReceive = operation<FlowTriggerReceiveMutation, FlowTriggerReceiveMutationVariables>(`#graphql
  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors { field message }
    }
  }
`);
