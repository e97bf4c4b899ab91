import { operation } from "../admin.server";

import type {
  FileCreateMutation,
  FileCreateMutationVariables,
  FileImagesQuery,
  FileImagesQueryVariables,
  StagedUploadsCreateMutation,
  StagedUploadsCreateMutationVariables,
} from "./types.generated";

/** Where a browser may upload a file straight to Shopify's storage (a POST form with its parameters). */
export const StagedUploadsCreate = operation<StagedUploadsCreateMutation, StagedUploadsCreateMutationVariables>(
  `#graphql
  mutation StagedUploadsCreate($input: [StagedUploadInput!]!) {
    stagedUploadsCreate(input: $input) {
      stagedTargets {
        url
        resourceUrl
        parameters {
          name
          value
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`,
);

/** A file in the shop's Files made from an uploaded resource URL. */
export const FileCreate = operation<FileCreateMutation, FileCreateMutationVariables>(`#graphql
  mutation FileCreate($files: [FileCreateInput!]!) {
    fileCreate(files: $files) {
      files {
        id
        fileStatus
        ... on MediaImage {
          image {
            url
          }
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`);

/** Files' image URLs, once Shopify has processed them. */
export const FileImages = operation<FileImagesQuery, FileImagesQueryVariables>(`#graphql
  query FileImages($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on MediaImage {
        id
        fileStatus
        image {
          url
        }
      }
    }
  }
`);
