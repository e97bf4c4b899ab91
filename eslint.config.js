// ESLint: Shopify's own configs (TypeScript, React, Node, Prettier), with the rules below turned
// off where they do not fit a Remix app or this codebase's deliberate style. Prettier formats
// (printWidth 120, .prettierrc.json); `npm run lint` runs both, and `npm test` runs it in CI.
import shopify from "@shopify/eslint-plugin";
import globals from "globals";

const config = [
  {
    ignores: [
      "build/**",
      "build-*/**",
      ".cache/**",
      ".demo*/**",
      "public/build/**",
      "bench/results/**",
      "test-results/**",
      "**/*.generated.ts",
      "extensions/*/dist/**",
    ],
  },
  ...shopify.configs.typescript,
  ...shopify.configs.react,
  ...shopify.configs.node,
  ...shopify.configs.prettier,
  {
    settings: { react: { version: "18.3" } },
    rules: {
      // No line over 120 characters, comments and strings included (Prettier wraps the code).
      "max-len": ["error", { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }],
      // The automatic JSX runtime (Remix, React 18) needs no React in scope.
      "react/react-in-jsx-scope": "off",
      // Short names are idiomatic for callbacks and loop indices (`(r) => r.id`).
      "id-length": "off",
      // Shopify's payload fields are snake_case and module constants are UPPER_CASE on purpose.
      "@typescript-eslint/naming-convention": "off",
      camelcase: "off",
      // Remix routes import shared components across folders by design.
      "@shopify/strict-component-boundaries": "off",
      // The embedded admin is English today; copy in JSX is the merchant-facing text itself.
      "@shopify/jsx-no-hardcoded-content": "off",
      "@shopify/jsx-no-complex-expressions": "off",
      // Fetch API classes, import.meta.dirname and Web Crypto are stable in Node 20.19, which the
      // engines field requires; the rule's data still calls them experimental there.
      "n/no-unsupported-features/node-builtins": [
        "error",
        {
          ignores: [
            "Request",
            "Response",
            "Headers",
            "fetch",
            "FormData",
            "CustomEvent",
            "crypto",
            "import.meta.dirname",
            "navigator",
            "sessionStorage",
          ],
        },
      ],
      // A trailing comment that explains one value reads better beside it.
      "line-comment-position": "off",
      // `new Promise((r) => setTimeout(r, ms))` is clearer than the long names the rule wants.
      "promise/param-names": "off",
      // Chained ternaries are used for small, flat value choices.
      "no-nested-ternary": "off",
      // Class members are ordered by what a reader needs first, not by kind.
      "sort-class-members/sort-class-members": "off",
    },
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    rules: {
      "@typescript-eslint/member-ordering": "off",
      // `any` only where a comment says why (untyped JSON walked field by field).
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    // Areas register at start-up, before a test or script has chosen its database; shopify.server.ts
    // opens the session storage on the database of the moment it is first imported. Registration
    // files import it lazily (`await import(...)`) where they need the Admin API.
    files: ["app/areas.server.ts", "app/services/**/register.server.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/shopify.server"], message: "Import shopify.server lazily where it is used." }] },
      ],
    },
  },
  {
    // `declare global { var … }` is the TypeScript way to type a process-wide singleton.
    files: ["**/*.d.ts", "app/db.server.ts"],
    rules: { "no-var": "off" },
  },
  {
    // Node runs the .mjs scripts as they are, and its ES modules need a relative import's extension.
    files: ["**/*.mjs"],
    rules: { "import-x/extensions": ["error", "ignorePackages"] },
  },
  {
    // The storefront's scripts run in the shopper's browser, as they are.
    files: ["extensions/**/*.js"],
    languageOptions: { globals: globals.browser },
    // Which Node version has a global (localStorage, EventSource) says nothing about browsers.
    rules: { "n/no-unsupported-features/node-builtins": "off" },
  },
];

export default config;
